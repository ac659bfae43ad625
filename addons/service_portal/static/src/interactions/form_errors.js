import { CustomerAddress } from "@portal/interactions/address";
import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";

/**
 * A form page shown again with an error (server-side validation): its error message is a
 * role="alert" element, but an alert already in the page when it loads is not read out by
 * every screen reader. Moving the focus to it (tabindex="-1") makes them read it, and puts
 * keyboard users right before the fields it points at (aria-describedby).
 */
export class ServiceFormErrorFocus extends Interaction {
    static selector = ".o_service_form_error";

    start() {
        if (document.querySelector(ServiceFormErrorFocus.selector) !== this.el) {
            return; // the first error of the page only
        }
        this.el.focus({ preventScroll: false });
    }
}

registry
    .category("public.interactions")
    .add("service_portal.form_error_focus", ServiceFormErrorFocus);

/**
 * /my/account (and the address forms): Odoo marks the fields its server refused with
 * .is-invalid and writes the messages into #errors. A screen reader learns neither: the
 * fields also get aria-invalid and point at the messages (aria-describedby), and #errors
 * is an alert region (portal_my_details_errors_a11y), so new messages are read out.
 */
patch(CustomerAddress.prototype, {
    async saveAddress(ev) {
        const result = await super.saveAddress(ev);
        const errorsId = this.errorsDiv?.id;
        for (const element of this.addressForm.querySelectorAll("input, select, textarea")) {
            const describedBy = (element.getAttribute("aria-describedby") || "")
                .split(/\s+/)
                .filter((id) => id && id !== errorsId);
            if (element.classList.contains("is-invalid") && errorsId) {
                element.setAttribute("aria-invalid", "true");
                describedBy.push(errorsId);
            } else {
                element.removeAttribute("aria-invalid");
            }
            if (describedBy.length) {
                element.setAttribute("aria-describedby", describedBy.join(" "));
            } else {
                element.removeAttribute("aria-describedby");
            }
        }
        return result;
    },
});
