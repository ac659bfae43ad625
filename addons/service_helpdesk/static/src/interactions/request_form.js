import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/**
 * The new request form of the portal:
 * - suggests knowledge-base articles matching the subject and description while the
 *   customer types (each opens in a new tab; the server counts the opens);
 * - offers only the equipment of the chosen job site.
 */
export class ServiceRequestForm extends Interaction {
    static selector = ".o_request_form";
    dynamicContent = {
        "input[name=subject], textarea[name=description]": {
            "t-on-input.noUpdate": this.debounced(this.suggest, 400),
        },
        "select[name=site_id]": {
            "t-on-change.noUpdate": this.filterEquipment,
        },
    };

    setup() {
        this.suggestionsEl = this.el.querySelector(".o_request_suggestions");
        this.lastText = "";
    }

    start() {
        this.filterEquipment();
        // a form shown again after an error keeps its text: suggest for it at once
        this.suggest();
        // tells the tours (and styles) that the form's script is active
        this.el.classList.add("o_request_form_ready");
        this.registerCleanup(() => this.el.classList.remove("o_request_form_ready"));
    }

    async suggest() {
        if (!this.suggestionsEl) {
            return;
        }
        const subject = this.el.querySelector("input[name=subject]")?.value || "";
        const description = this.el.querySelector("textarea[name=description]")?.value || "";
        const text = `${subject} ${description}`.trim().slice(0, 500);
        if (text === this.lastText) {
            return;
        }
        this.lastText = text;
        let articles = [];
        if (text.length >= 3) {
            try {
                articles = (await this.waitFor(rpc("/helpdesk/suggest", { text }))).articles;
            } catch {
                articles = []; // suggestions are a help: the form works without them
            }
        }
        if (text !== this.lastText) {
            return; // an answer to an older text
        }
        this.renderSuggestions(articles || []);
    }

    renderSuggestions(articles) {
        const listEl = this.suggestionsEl.querySelector(".o_request_suggestion_list");
        listEl.replaceChildren(
            ...articles.map((article) => {
                const itemEl = document.createElement("li");
                const linkEl = document.createElement("a");
                linkEl.href = `${article.url}?suggested=1`;
                linkEl.target = "_blank";
                linkEl.rel = "noopener";
                linkEl.className = "o_request_suggestion";
                linkEl.textContent = article.name;
                itemEl.append(linkEl);
                return itemEl;
            })
        );
        this.suggestionsEl.classList.toggle("d-none", !articles.length);
    }

    filterEquipment() {
        const equipmentEl = this.el.querySelector("select[name=equipment_id]");
        const siteEl = this.el.querySelector("select[name=site_id]");
        if (!equipmentEl || !siteEl) {
            return;
        }
        const siteId = siteEl.value;
        for (const optionEl of equipmentEl.querySelectorAll("option[value]:not([value=''])")) {
            const elsewhere = Boolean(siteId) && optionEl.dataset.siteId !== siteId;
            optionEl.hidden = elsewhere;
            optionEl.disabled = elsewhere;
            if (elsewhere && optionEl.selected) {
                equipmentEl.value = "";
            }
        }
    }
}

registry
    .category("public.interactions")
    .add("service_helpdesk.request_form", ServiceRequestForm);
