import { registry } from "@web/core/registry";
import { solveAndCopyToKbSteps } from "@service_helpdesk/../tests/tours/service_helpdesk_tour_utils";
import saleTourUtils from "@sale/js/tours/tour_utils";

registry.category("web_tour.tours").add("service_helpdesk_backend", {
    url: "/odoo/action-service_helpdesk.service_ticket_action",
    steps: () => [
        {
            content: "The open requests are listed",
            trigger: ".o_list_view .o_data_row td:contains(Heating off in the north library)",
            run: "click",
        },
        {
            content: "The form shows the answers and the chatter",
            trigger: ".o_form_view .o_notebook a:contains(Answers)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_one2many td:contains(Heating)",
        },
        {
            trigger: ".o-mail-Chatter",
        },
        {
            content: "Assign the request to me",
            trigger: ".o_form_view button[name=action_assign_to_me]",
            run: "click",
        },
        {
            content: "Assigned: the button is gone",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_assign_to_me]))",
        },
        {
            content: "Back to the list, then the kanban view",
            trigger: ".o_breadcrumb a:contains(Support Requests)",
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains(Loading-bay door sticks halfway)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_agent_answers_with_estimate", {
    steps: () => [
        {
            content: "The customer's request is open",
            trigger: ".o_form_view .o_breadcrumb:contains(Boiler pressure drops)",
        },
        {
            content: "Reply to the customer",
            trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-input",
            run: "edit We will refill and check the expansion vessel.",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the conversation",
            trigger: ".o-mail-Message-body:contains(We will refill and check the expansion vessel.)",
        },
        {
            content: "Propose an estimate from the request",
            trigger: ".o_form_view button[name=action_new_estimate]",
            run: "click",
        },
        {
            content: "A quotation for the customer opens",
            trigger: ".o_sale_order .o_field_widget[name=partner_id] input",
        },
        ...saleTourUtils.addProduct("Expansion vessel"),
        {
            trigger: ".o_field_cell[name=price_subtotal]:contains(240.00)",
        },
        {
            content: "Send it to the customer",
            trigger: ".o_statusbar_buttons button[name=action_quotation_send]",
            run: "click",
        },
        {
            isActive: ["body:not(:has(.modal-footer button.o_mail_send))"],
            trigger: ".modal-footer button[name=document_layout_save]",
            run: "click",
        },
        {
            trigger: ".modal-footer button.o_mail_send",
            run: "click",
        },
        {
            content: "The quotation is sent",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current:contains(Quotation Sent)",
        },
    ],
});

registry.category("web_tour.tours").add("service_helpdesk_agent_publishes_solution", {
    steps: () => [
        {
            content: "The request whose estimate was approved",
            trigger: ".o_form_view .o_breadcrumb:contains(Boiler pressure drops)",
        },
        ...solveAndCopyToKbSteps("Refilled to 1.5 bar and replaced the expansion vessel."),
        {
            content: "A draft article, with the problem and the solution",
            trigger: ".o_form_view:has(.ribbon:contains(Draft)) .o_field_widget[name=name] input",
        },
        {
            trigger: ".o_form_view .o_notebook a[name=solution]",
            run: "click",
        },
        {
            trigger: ".o_field_html[name=solution]:contains(Refilled to 1.5 bar)",
        },
        {
            content: "Reviewed: publish it",
            trigger: ".o_form_view button[name=website_publish_button]:contains(Publish)",
            run: "click",
        },
        {
            content: "Published",
            trigger: ".o_form_view:not(:has(.ribbon:contains(Draft))) button[name=website_publish_button]:contains(Unpublish)",
        },
    ],
});
