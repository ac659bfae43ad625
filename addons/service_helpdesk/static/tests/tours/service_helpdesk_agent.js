import { registry } from "@web/core/registry";
import { solveAndCopyToKbSteps } from "@service_helpdesk/../tests/tours/service_helpdesk_tour_utils";

registry.category("web_tour.tours").add("service_helpdesk_agent_answers_and_copies", {
    steps: () => [
        {
            content: "Open the loading-bay request",
            trigger: ".o_list_view .o_data_row td:contains(Loading-bay door sticks halfway)",
            run: "click",
        },
        {
            content: "Reply to the customer",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-input",
            run: "edit A technician comes on Tuesday to adjust the door.",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            trigger: ".o-mail-Message-body:contains(A technician comes on Tuesday)",
        },
        ...solveAndCopyToKbSteps("Re-tensioned the door spring and cleaned the rails."),
        {
            content: "A draft article opens",
            trigger: ".o_form_view:has(.ribbon:contains(Draft)) .o_field_widget[name=name] input",
        },
    ],
});
