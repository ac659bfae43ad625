import { registry } from "@web/core/registry";
import { heatingRequestSteps } from "@service_helpdesk/../tests/tours/service_helpdesk_tour_utils";

registry.category("web_tour.tours").add("service_helpdesk_new_request", {
    steps: () => [
        {
            content: "Open the new request form from the portal home",
            trigger: ".o_portal_index_card a[href='/my/requests/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the nature of the request",
            trigger: ".o_request_types a:contains(Equipment breakdown)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form now asks the questions of that nature",
            trigger: ".o_request_form label:contains(Which system?)",
        },
        ...heatingRequestSteps("Boiler leaks in the basement", "Water drips under the boiler."),
        {
            content: "Submit",
            trigger: "button.o_submit_request",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request page confirms and shows the request as open",
            trigger: "#request_created:contains(Your request was sent)",
        },
        {
            content: "Status is Open",
            trigger: ".o_request_state:contains(Open)",
        },
        {
            content: "Write a message to the support team in the portal chatter",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            // the chatter's bundles are built on first use (each test rolls them back): that
            // takes more than the default 10 s on a loaded machine
            timeout: 30000,
            run: "edit The boiler room key is at the front desk.",
        },
        {
            content: "Send it",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message shows in the conversation",
            trigger:
                "#chatterRoot:shadow .o-mail-Message-body:contains(The boiler room key is at the front desk.)",
        },
        {
            content: "Unfold the close form",
            trigger: ".o_request_close summary",
            run: "click",
        },
        {
            content: "Close the request as resolved",
            trigger: ".o_request_close_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is completed",
            trigger: ".o_request_state:contains(Completed)",
        },
    ],
});
