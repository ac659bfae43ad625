import { registry } from "@web/core/registry";
import { licenceInvoicesFilterSteps } from "@service_licensing/../tests/tours/service_licensing_tour_utils";

registry.category("web_tour.tours").add("service_licensing_manager", {
    steps: () => [
        {
            content: "The Subscriptions screen lists Harbour Optics' subscription",
            trigger: ".o_list_view .o_data_row td[name=partner_id]:contains(Harbour Optics)",
            run: "click",
        },
        {
            content: "Its licences are on the subscription",
            trigger:
                ".o_form_view .o_field_widget[name=license_ids] .o_data_row:contains(Tess Tour)",
        },
        {
            content: "Open its invoices",
            trigger: ".o_form_view button[name=action_view_invoices]",
            run: "click",
        },
        {
            content: "Its one invoice, paid",
            trigger: ".o_breadcrumb .active:contains(Invoices)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Paid)",
        },
        {
            content: "Go to the Licences screen",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Licensing)",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains(Technician Licences)",
            run: "click",
        },
        {
            content: "Open Tess's licence",
            trigger: ".o_list_view .o_data_row td[name=name]:contains(Tess Tour)",
            run: "click",
        },
        {
            content: "Revoke it",
            trigger: ".o_form_view button[name=action_revoke]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Revoked)",
        },
    ],
});

registry.category("web_tour.tours").add("service_licensing_accountant", {
    steps: () => [
        ...licenceInvoicesFilterSteps(),
        {
            content: "Only Harbour Optics' subscription invoice is left",
            trigger:
                ".o_list_view:not(:has(.o_data_row:not(:contains(Harbour Optics)))) .o_data_row:contains(Harbour Optics) td[name=invoice_partner_display_name]",
            run: "click",
        },
        {
            content: "The invoice shows its subscription",
            trigger: ".o_form_view .o_field_widget[name=service_subscription_id]",
        },
        {
            content: "Open its payment",
            trigger: ".o_form_view button[name=open_payments]",
            run: "click",
        },
        {
            content: "The payment of Harbour Optics",
            trigger:
                ".o_form_view:has(.o_field_widget[name=partner_id]:contains(Harbour Optics)) .o_field_widget[name=amount]",
        },
    ],
});
