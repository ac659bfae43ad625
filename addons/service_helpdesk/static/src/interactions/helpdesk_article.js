import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/**
 * A knowledge-base article page: counts the view (and the open of a suggestion of the new
 * request form, `?suggested=1`) with a call of its own, so that the page is a read-only
 * route that a PostgreSQL replica can serve.
 */
export class HelpdeskArticle extends Interaction {
    static selector = ".o_helpdesk_article[data-seen-url]";

    start() {
        this.countView();
    }

    async countView() {
        const suggested = new URLSearchParams(window.location.search).get("suggested") === "1";
        try {
            await this.waitFor(rpc(this.el.dataset.seenUrl, { suggested }));
        } catch {
            return; // a counter is no reason to disturb the reader
        }
        // tells the tours that the view was counted
        this.el.classList.add("o_helpdesk_article_seen");
    }
}

registry
    .category("public.interactions")
    .add("service_helpdesk.helpdesk_article", HelpdeskArticle);
