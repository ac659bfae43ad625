import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_dispatcher", {
    steps: () => [
        {
            content: "Open the draft order of Harbour Bakery",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Harbour Bakery)",
            run: "click",
        },
        {
            content: "Schedule it",
            trigger: ".o_form_view button[name=action_schedule]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Scheduled)",
        },
        {
            content: "Publish its document in the portal",
            trigger: ".o_form_view .o_notebook a[name=documents]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=document_ids] .o_data_row:contains(Wiring diagram) .o_field_boolean_toggle input:not(:checked)",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=document_ids] .o_data_row:contains(Wiring diagram) .o_field_boolean_toggle input:checked",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Back to the orders",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Service Orders)",
            run: "click",
        },
        {
            content: "Open the order whose customer asks for another date",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Mill Lane Dental)",
            run: "click",
        },
        {
            content: "Accept the new date",
            trigger: ".o_form_view .alert button[name=action_accept_customer_request]",
            run: "click",
        },
        {
            content: "The request is answered",
            trigger:
                ".o_form_view:not(:has(button[name=action_accept_customer_request])) .o_form_saved",
        },
    ],
});
