import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * The arrival windows of the request form follow the job site picked: the server renders
 * the picker of service_portal for that site (/my/requests/new/windows).
 */
export class ServiceRequestWindows extends Interaction {
    static selector = ".o_request_form";
    dynamicContent = {
        "select[name=site_id]": {
            "t-on-change.noUpdate": this.reload,
        },
    };

    setup() {
        this.bodyEl = this.el.querySelector(".o_request_windows_body");
        this.sequence = 0;
    }

    async reload() {
        if (!this.bodyEl) {
            return; // this nature of request asks for no visit
        }
        const typeId = this.el.querySelector("input[name=type_id]")?.value || "";
        const siteId = this.el.querySelector("select[name=site_id]")?.value || "";
        const sequence = ++this.sequence;
        const params = new URLSearchParams({ site_id: siteId });
        this.bodyEl.setAttribute("aria-busy", "true");
        let html = "";
        try {
            const response = await this.waitFor(fetch(`/my/requests/new/windows/${encodeURIComponent(typeId)}?${params}`));
            html = response.ok ? await this.waitFor(response.text()) : "";
        } catch {
            html = "";
        }
        if (sequence !== this.sequence) {
            return; // the answer for a site picked before
        }
        this.bodyEl.removeAttribute("aria-busy");
        this.bodyEl.innerHTML = html;
    }
}

registry
    .category("public.interactions")
    .add("service_helpdesk.request_windows", ServiceRequestWindows);
