import { registry } from "@web/core/registry";
import { dateQuestionStep } from "@service_helpdesk/../tests/tours/service_helpdesk_tour_utils";

/**
 * The life of a request across the tours of test_tour.py, one per persona in turn:
 * 1. a customer files a typed request about a piece of equipment, with a file, and sees a
 *    suggested article while typing;
 * 2. the agent, in the backend, replies and sends an estimate from the request;
 * 3. the customer reads the reply and approves the estimate from the request;
 * 4. the agent writes the solution, completes the request, copies it to the knowledge base
 *    and publishes the article;
 * 5. the customer rates the completed request;
 * 6. a visitor finds the article by searching the knowledge base.
 */
/** Select the option of a <select> by its label (the options' values are record ids). */
function selectByLabel(selectEl, label) {
    const option = [...selectEl.options].find((opt) => opt.text.includes(label));
    if (!option) {
        throw new Error(`No option "${label}" in ${selectEl.name}`);
    }
    selectEl.value = option.value;
    selectEl.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("service_helpdesk_file_with_suggestion", {
    steps: () => [
        {
            content: "Pick the nature of the request",
            trigger: ".o_request_types a:contains(Planned maintenance request)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Choose the job site",
            trigger: ".o_request_form.o_request_form_ready select[name=site_id]",
            run() {
                selectByLabel(this.anchor, "North Campus");
            },
        },
        {
            content: "Only the equipment of that site can be picked",
            trigger: "select[name=equipment_id]",
            run() {
                const options = [...this.anchor.options];
                const door = options.find((option) => option.text.includes("Loading-bay door"));
                const boiler = options.find((option) => option.text.includes("Library boiler"));
                if (!door?.disabled || boiler?.disabled) {
                    throw new Error(`Equipment not filtered: ${this.anchor.outerHTML}`);
                }
            },
        },
        {
            content: "Pick the equipment",
            trigger: "select[name=equipment_id]",
            run() {
                selectByLabel(this.anchor, "Library boiler");
            },
        },
        {
            content: "Type the subject",
            trigger: "input[name=subject]",
            run: "edit Boiler pressure drops",
        },
        {
            content: "A matching article is suggested, opening in a new tab",
            trigger:
                ".o_request_suggestions:not(.d-none) a.o_request_suggestion[target=_blank]:contains(Boiler pressure is too low)",
        },
        dateQuestionStep("Preferred date", "2026-12-01"),
        {
            content: "Access instructions",
            trigger: ".o_request_question[data-kind=textarea] textarea",
            run: "edit Ask for the caretaker at the gate.",
        },
        {
            content: "Description",
            trigger: "textarea[name=description]",
            run: "edit The gauge falls below 1 bar every week.",
        },
        {
            content: "Attach a file",
            trigger: "input[name=attachments]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["Gauge at 0.6 bar on Monday"], "gauge.txt", { type: "text/plain" })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Submit",
            trigger: "button.o_submit_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is filed about the equipment",
            trigger: "#request_created:contains(Your request was sent)",
        },
        {
            trigger: ".o_request_equipment_name:contains(Library boiler)",
        },
        {
            content: "The file is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message .o-mail-AttachmentCard:contains(gauge.txt)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_approve_estimate", {
    steps: () => [
        {
            content: "The agent's reply is in the conversation",
            trigger:
                "#chatterRoot:shadow .o-mail-Message-body:contains(We will refill and check the expansion vessel.)",
        },
        {
            content: "The estimate awaits approval",
            trigger: ".o_request_estimate:contains(Awaiting your approval)",
        },
        {
            content: "Approve it",
            trigger: ".o_request_estimate button.o_estimate_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Approved",
            trigger: "#estimate_approved:contains(the estimate is approved)",
        },
        {
            trigger: ".o_request_estimate .badge:contains(Approved)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_rate_request", {
    steps: () => [
        {
            content: "The request is completed, with its solution",
            trigger: ".o_request_solution:contains(Refilled to 1.5 bar)",
        },
        {
            content: "Four stars",
            trigger: ".o_request_rate label[for=rating_4]",
            run: "click",
        },
        {
            trigger: ".o_request_rate textarea[name=feedback]",
            run: "edit Quick and clear, thank you.",
        },
        {
            trigger: ".o_request_rate button.o_request_rate_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating is shown on the request",
            trigger: ".o_request_rating:contains(★★★★☆):contains(Quick and clear, thank you.)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_visitor_finds_article", {
    steps: () => [
        {
            content: "Search the knowledge base",
            trigger: ".o_helpdesk_search input[name=search]",
            run: "edit expansion vessel",
        },
        {
            trigger: ".o_helpdesk_search button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The published request is found",
            trigger: ".o_helpdesk_result a:contains(Boiler pressure drops)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Its solution is shown",
            trigger: ".o_helpdesk_solution:contains(Refilled to 1.5 bar and replaced the expansion vessel.)",
        },
        {
            content: "The page's script counted the view",
            trigger: ".o_helpdesk_article_seen",
        },
    ],
});

// An estimate that needs a signature: signed on the request's card through Odoo's own
// accept route, the person's name already in the field.
registry.category("web_tour.tours").add("service_helpdesk_sign_estimate", {
    steps: () => [
        {
            content: "The card lists the estimate's lines",
            trigger: ".o_request_estimate .o_estimate_lines:contains(Boiler repair visit)",
        },
        {
            content: "The signer is the person, typed for them",
            trigger: ".o_estimate_sign .o_web_sign_auto_button.active",
        },
        {
            trigger: ".o_estimate_sign input[name=signer]:value(Nick Northcott)",
        },
        {
            content: "Sign and approve",
            trigger: ".o_estimate_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's quote page: signed",
            trigger: "#quote_content:contains(Nick Northcott)",
        },
    ],
});
