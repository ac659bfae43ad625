import { registry } from "@web/core/registry";
import {
    clickStep,
    journey,
    pageStep,
} from "@service_portal/../tests/tours/service_portal_journey_utils";

/**
 * The personas' main journeys, one tour per person and sitting (see
 * tests/test_persona_journeys.py, which runs them at 375 and 1280 px and passes the ids in
 * window.__serviceJourney). Every portal page visited fits the screen (pageStep); the pages
 * named with `shot` are the README's screenshots.
 */

/** A selector of the links to `path` (with or without a query string) inside `scope`. */
function linkTo(scope, path) {
    return `${scope} a[href='${path}'], ${scope} a[href^='${path}?']`;
}

// (b) 1. The customer asks for service on a piece of equipment.
registry.category("web_tour.tours").add("service_journey_customer_requests", {
    steps: () => [
        pageStep(".o_portal_my_home:not(:has(.o_portal_doc_spinner)) a[href='/my/sites']", {
            content: "The customer's home",
            shot: "home",
        }),
        clickStep(".o_portal_my_home a[href='/my/sites']", "Open the job sites"),
        pageStep("main a:contains(North Campus)", { content: "The job sites", shot: "sites" }),
        clickStep("main a:contains(North Campus)", "Open the North Campus site"),
        pageStep(".nav-tabs a:contains(Equipment)", { content: "The site" }),
        clickStep(".nav-tabs a:contains(Equipment)", "Open the site's equipment"),
        pageStep(".o_service_site_tab a:contains(Library boiler)", { content: "Its equipment" }),
        clickStep(".o_service_site_tab a:contains(Library boiler)", "Open the library boiler"),
        pageStep("#service_request_form textarea[name=description]", {
            content: "The equipment, with Request service",
            shot: "equipment",
        }),
        {
            content: "Describe the problem",
            trigger: "#service_request_form textarea[name=description]",
            run: "edit The boiler bangs when it starts",
        },
        clickStep("#service_request_form button[type=submit]", "Request service"),
        pageStep("#service_requested:contains(A dispatcher will plan the visit)", {
            content: "The request is registered",
        }),
    ],
});

// (b) 2. The dispatcher (backend) plans it for the licensed technician.
registry.category("web_tour.tours").add("service_journey_dispatcher_schedules", {
    steps: () => [
        {
            content: "The customer's request is a draft order",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Draft)",
        },
        {
            content: "Set when the visit starts",
            trigger: ".o_form_view .o_field_widget[name=date_start] input",
            run: `edit ${journey().dateStart}`,
        },
        {
            content: "And when it ends",
            trigger: ".o_form_view .o_field_widget[name=date_end] input",
            run: `edit ${journey().dateEnd}`,
        },
        {
            content: "Assign the technician",
            trigger: ".o_form_view .o_field_widget[name=technician_ids] input",
            run: "edit Terry",
        },
        {
            content: "Pick Terry Tech",
            trigger: ".o-autocomplete--dropdown-item:contains(Terry Tech)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=technician_ids] .o_tag:contains(Terry Tech)",
        },
        {
            content: "Schedule the visit",
            trigger: ".o_form_view button[name=action_schedule]",
            run: "click",
        },
        {
            content: "Scheduled and saved",
            trigger:
                ".o_form_view .o_form_saved .o_statusbar_status .o_arrow_button_current:contains(Scheduled), .o_form_view:has(.o_form_saved) .o_statusbar_status .o_arrow_button_current:contains(Scheduled)",
        },
    ],
});

// (b) 3. The technician works it from the workspace.
registry.category("web_tour.tours").add("service_journey_technician_works", {
    steps: () => {
        const visit = linkTo("#service_work_open", `/my/work/${journey().orderId}`);
        return [
            pageStep("#service_work_entry a[href='/my/work']", { content: "The technician's home" }),
            clickStep("#service_work_entry a[href='/my/work']", "Open the workspace"),
            pageStep(visit, { content: "The visits assigned to him", shot: "work" }),
            clickStep(visit, "Open the new visit"),
            pageStep("#service_work_start", { content: "The visit" }),
            clickStep("#service_work_start", "Start the work"),
            pageStep("#service_work_note textarea[name=note]", { content: "Under way" }),
            {
                content: "Write a note",
                trigger: "#service_work_note textarea[name=note]",
                run: "edit Burner cleaned, ignition electrode replaced",
            },
            clickStep("#service_work_note button[type=submit]", "Add the note"),
            pageStep("#service_work_log:contains(ignition electrode replaced)", {
                content: "The note is in the log",
            }),
            { content: "Mark done", trigger: "#service_work_done_ask", run: "click" },
            clickStep("#service_work_done_button:visible", "Confirm the work is done"),
            pageStep("#service_work_state:contains(Done)", { content: "The visit is done" }),
        ];
    },
});

// (b) 4. The customer signs the work off on the order.
registry.category("web_tour.tours").add("service_journey_customer_signs_off", {
    steps: () => {
        const order = `/my/service-orders/${journey().orderId}`;
        return [
            pageStep(".o_portal_my_home:not(:has(.o_portal_doc_spinner)) a[href='/my/service-orders']", {
                content: "The customer's home",
            }),
            clickStep(".o_portal_my_home a[href='/my/service-orders']", "Open the service orders"),
            pageStep("main:has(.o_service_order_row, [role=status])", {
                content: "The upcoming visits",
            }),
            {
                content: "See every order, grouped by site",
                trigger: "body",
                run: "goToUrl /my/service-orders?filterby=all&groupby=site",
                expectUnloadPage: true,
            },
            pageStep(`main:has(.o_service_group):has(a[href^='${order}'])`, {
                content: "All orders by site",
                shot: "service-orders",
            }),
            clickStep(linkTo("main", order), "Open the visit done"),
            pageStep("#service_signoff .o_portal_sign_submit", {
                content: "The work done, to sign off",
                shot: "service-order",
            }),
            {
                content: "The typed name draws the signature",
                trigger: "#service_signoff canvas.o_web_sign_signature",
                run: "canvasNotEmpty",
            },
            clickStep("#service_signoff .o_portal_sign_submit:enabled", "Sign off"),
            pageStep("#service_signoff:contains(Signed off by)", { content: "Signed off" }),
        ];
    },
});

// (c) The customer reads the service report, approves a quote and opens an invoice.
registry.category("web_tour.tours").add("service_journey_customer_documents", {
    steps: () => {
        const { quoteId, invoiceId, reportUrl } = journey();
        return [
            pageStep("main a:contains(Service report)", { content: "A visit done" }),
            {
                // a tour cannot read a PDF: the test fetches this link and checks the PDF
                content: "The service report is offered as a PDF",
                trigger: `main a[href='${reportUrl}']:contains(Service report)`,
            },
            {
                content: "Back home",
                trigger: "body",
                run: "goToUrl /my",
                expectUnloadPage: true,
            },
            pageStep(linkTo(".o_portal_my_home", `/my/orders/${quoteId}`), {
                content: "The quote awaits approval on the home",
            }),
            clickStep(linkTo(".o_portal_my_home", `/my/orders/${quoteId}`), "Open the quote"),
            pageStep("#quote_content", { content: "Odoo's quote page" }),
            {
                content: "Accept and sign",
                trigger: "a[data-bs-target='#modalaccept']:visible:first",
                run: "click",
            },
            {
                content: "The typed name draws the signature",
                trigger: "#modalaccept canvas.o_web_sign_signature",
                run: "canvasNotEmpty",
            },
            clickStep("#modalaccept .o_portal_sign_submit:enabled", "Sign"),
            pageStep("#quote_content .alert:contains(Thank You)", { content: "The quote is signed" }),
            {
                content: "Go to the invoices",
                trigger: "body",
                run: "goToUrl /my/invoices",
                expectUnloadPage: true,
            },
            pageStep(linkTo("main", `/my/invoices/${invoiceId}`), { content: "The invoices" }),
            clickStep(linkTo("main", `/my/invoices/${invoiceId}`), "Open the invoice to pay"),
            pageStep("#invoice_content iframe#invoice_html", { content: "Odoo's invoice page" }),
        ];
    },
});
