import { registry } from "@web/core/registry";
import { pickTwoWindowsSteps } from "@service_portal/../tests/tours/service_portal_tour_utils";
import {
    markDoneSteps,
    recordPartSteps,
    signatureSteps,
    startWorkStep,
    tickStep,
} from "@service_licensing/../tests/tours/service_licensing_tour_utils";

/** The arrival-window journey, one tour per person (see tests/test_arrival_journey.py). */

registry.category("web_tour.tours").add("service_arrival_customer_request", {
    steps: () => [
        {
            content: "Describe the problem",
            trigger: "#service_request_form textarea[name=description]",
            run: "edit The boiler whistles at night",
        },
        {
            content: "Windows are shown in the customer's time zone",
            trigger: "#service_arrival_picker:contains(Europe/Brussels)",
        },
        ...pickTwoWindowsSteps(),
        {
            content: "Request service",
            trigger: "#service_request_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is registered",
            trigger: "#service_requested:contains(A dispatcher will plan the visit)",
        },
        {
            content: "With the windows asked for",
            trigger: "#service_arrival_requested li:nth-child(2)",
        },
    ],
});

registry.category("web_tour.tours").add("service_arrival_dispatcher_confirms", {
    steps: () => [
        {
            content: "The customer's windows are listed on the order",
            trigger: ".o_field_widget[name=arrival_window_ids] .o_data_row:first .badge:contains(Proposed)",
        },
        {
            content: "Confirm the first one in one click",
            trigger: ".o_field_widget[name=arrival_window_ids] .o_data_row:first button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The visit is scheduled",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Scheduled)",
        },
        {
            trigger: ".o_field_widget[name=arrival_window_ids] .o_data_row:first .badge:contains(Confirmed)",
        },
    ],
});

registry.category("web_tour.tours").add("service_arrival_technician_on_my_way", {
    steps: () => [
        {
            content: "Enter the travel time",
            trigger: "#service_work_on_my_way input[name=travel_minutes]",
            run: "edit 20",
        },
        {
            content: "On my way",
            trigger: "#service_work_on_my_way_button",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The workspace says the customer was told",
            trigger: "#service_work_en_route:contains(On the way)",
        },
    ],
});

registry.category("web_tour.tours").add("service_arrival_customer_banner", {
    steps: () => [
        {
            content: "The order page tells the technician is coming",
            trigger: "#service_on_my_way:contains(The technician is on the way):contains(Expected arrival)",
        },
    ],
});

function assertNoSidewaysScroll() {
    const root = document.scrollingElement;
    if (root.scrollWidth > root.clientWidth) {
        throw new Error(`the page scrolls sideways: ${root.scrollWidth}px`);
    }
}

registry.category("web_tour.tours").add("service_arrival_technician_works", {
    steps: () => [
        startWorkStep("Arrived: start the work"),
        tickStep(":first"),
        {
            content: "The step is ticked by the technician",
            trigger: "#service_work_checklist button.o_service_work_step_toggle[aria-pressed=true]",
        },
        ...recordPartSteps("Pressure valve", 1),
        ...signatureSteps(),
        { content: "Signed", trigger: "#service_work_signature:contains(Signed by)" },
        ...markDoneSteps(),
        {
            content: "The summary sent to the customer lists the checklist and the part",
            trigger: "#service_work_summary:contains(Pressure valve):contains(Done:)",
            run: assertNoSidewaysScroll,
        },
    ],
});

registry.category("web_tour.tours").add("service_arrival_customer_reads_report", {
    steps: () => [
        {
            content: "The order is completed and signed off",
            trigger: "#service_signoff:contains(Signed off by)",
        },
        {
            content: "The signed report is offered",
            trigger: "a[href*='report_type=pdf']:contains(Service report)",
            run: assertNoSidewaysScroll,
        },
    ],
});
