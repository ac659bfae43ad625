import { registry } from "@web/core/registry";

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
