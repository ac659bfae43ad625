import { registry } from "@web/core/registry";

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
        {
            content: "Pick the first free window",
            trigger: "#service_arrival_picker input[name=windows]:first",
            run: "click",
        },
        {
            content: "And the second one",
            trigger: "#service_arrival_picker .form-check:nth-child(2) input[name=windows]",
            run: "click",
        },
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
