import { registry } from "@web/core/registry";
import { pickTwoWindowsSteps } from "@service_portal/../tests/tours/service_portal_tour_utils";
import { heatingRequestSteps } from "@service_helpdesk/../tests/tours/service_helpdesk_tour_utils";

/** Arrival windows from a support request, one tour per person (tests/test_request_windows_tour.py). */

/** A step failing when the page scrolls sideways (the phone width of the tours). */
function fitsStep(content) {
    return {
        content,
        trigger: "body",
        run() {
            const root = document.documentElement;
            if (root.scrollWidth > root.clientWidth) {
                throw new Error(`The page is ${root.scrollWidth}px wide for ${root.clientWidth}px`);
            }
        },
    };
}

registry.category("web_tour.tours").add("service_helpdesk_request_windows_customer", {
    steps: () => [
        {
            content: "The form waits for the job site before offering windows",
            trigger: ".o_request_form_ready .o_request_windows_hint",
        },
        {
            content: "Pick the North Campus",
            trigger: ".o_request_form select[name=site_id]",
            run() {
                const option = [...this.anchor.options].find((optionEl) =>
                    optionEl.textContent.includes("North Campus")
                );
                this.anchor.value = option.value;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The site's free windows are offered, in its time zone",
            trigger: ".o_request_windows #service_arrival_picker:contains(Europe/Brussels)",
        },
        ...pickTwoWindowsSteps(),
        fitsStep("The form with its windows fits the phone"),
        ...heatingRequestSteps("The heating is off", "Cold radiators on every floor."),
        {
            content: "Submit",
            trigger: "button.o_submit_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request page shows the window asked for",
            trigger: "#request_visit #service_arrival_requested li:nth-child(2)",
        },
        fitsStep("The request page fits the phone"),
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_request_windows_dispatcher", {
    steps: () => [
        {
            content: "The request has windows to confirm",
            trigger: ".o_form_view button[name=action_confirm_visit_window]",
        },
        {
            content: "Open the Visit tab",
            trigger: ".o_notebook_headers a:contains(Visit)",
            run: "click",
        },
        {
            content: "Confirm the second window the customer picked, in one click",
            trigger:
                ".o_field_widget[name=visit_window_ids] .o_data_row:nth-child(2) button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The window is confirmed",
            trigger:
                ".o_field_widget[name=visit_window_ids] .o_data_row:nth-child(2) .badge:contains(Confirmed)",
        },
        {
            content: "Nothing is left to confirm",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_confirm_visit_window]))",
        },
        {
            content: "The request's conversation says so",
            trigger: ".o-mail-Message-body:contains(Visit confirmed)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_request_windows_confirmed", {
    steps: () => [
        {
            content: "The customer sees the confirmed window on the request",
            trigger: "#request_visit #service_arrival_window:contains(Europe/Brussels)",
        },
        {
            content: "And the visit's page is a tap away",
            trigger: "#request_visit a[href^='/my/service-orders/']",
        },
        fitsStep("The request page with its visit fits the phone"),
        {
            content: "The conversation tells it too",
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains(Visit confirmed)",
            timeout: 30000,
        },
    ],
});
