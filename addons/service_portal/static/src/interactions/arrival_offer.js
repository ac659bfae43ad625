import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * The arrival windows of a visit form (service_portal.arrival_window_offer) are computed
 * when the customer opens the form, not on every view of the page: the first focus in the
 * form, the opening of the <details> it sits in, or the "See when we can come" link loads
 * them from the slot's data-url. Without script, the link opens the page with its windows.
 */
export class ServiceArrivalOffer extends Interaction {
    static selector = ".o_service_arrival_offer[data-url]";
    dynamicContent = {
        ".o_service_arrival_load": { "t-on-click.prevent.noUpdate": this.load },
    };

    setup() {
        // the page computed its windows itself (?arrival=1, a refused request shown again)
        this.loaded = !this.el.querySelector(".o_service_arrival_load");
    }

    start() {
        if (this.loaded) {
            return;
        }
        const form = this.el.closest("form");
        if (form) {
            this.addListener(form, "focusin", this.load);
        }
        const details = this.el.closest("details");
        if (details) {
            this.addListener(details, "toggle", () => details.open && this.load());
            if (details.open) {
                this.load();
            }
        }
    }

    async load() {
        if (this.loaded) {
            return;
        }
        this.loaded = true;
        const focused = this.el.contains(document.activeElement) ? document.activeElement.name : null;
        this.el.setAttribute("aria-busy", "true");
        let html = null;
        try {
            const response = await this.waitFor(fetch(this.el.dataset.url));
            html = response.ok ? await this.waitFor(response.text()) : null;
        } catch {
            html = null;
        }
        this.el.removeAttribute("aria-busy");
        if (html === null) {
            this.loaded = false; // the link still opens the page with its windows
            return;
        }
        this.el.innerHTML = html;
        if (focused) {
            this.el.querySelector(`[name="${focused}"]`)?.focus();
        }
    }
}

registry.category("public.interactions").add("service_portal.arrival_offer", ServiceArrivalOffer);
