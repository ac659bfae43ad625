import { registry } from "@web/core/registry";
import { licenceInvoicesFilterSteps } from "@service_licensing/../tests/tours/service_licensing_tour_utils";

registry.category("web_tour.tours").add("service_licensing_accountant_payouts", {
    steps: () => [
        ...licenceInvoicesFilterSteps(),
        {
            content: "Acme's invoices from Stripe, with their tax, paid",
            trigger: ".o_list_view .o_data_row:contains(Acme Repairs):contains(Paid):contains(117.60)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Acme Repairs):contains(Paid):contains(58.80)",
        },
        {
            content: "Go to the credit notes",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Customers)",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains(Credit Notes)",
            run: "click",
        },
        {
            content: "The credit note of the refund, refunded to the card",
            trigger:
                ".o_list_view .o_data_row:contains(Acme Repairs):contains(29.40):contains(Paid)",
        },
        {
            content: "Go to the Stripe payouts",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Customers)",
            run: "click",
        },
        {
            trigger: ".dropdown-menu .dropdown-item:contains(Stripe Payouts)",
            run: "click",
        },
        {
            content: "The payout, not matched with the bank yet",
            trigger:
                ".o_list_view .o_data_row:contains(ACMETOUR):contains(Bank of Payouts) td[name=service_stripe_payout_matched] input:not(:checked)",
        },
        {
            content: "Match it with its bank statement line in one click",
            trigger: ".o_list_view .o_data_row:contains(ACMETOUR) button[name=action_service_match_payout]",
            run: "click",
        },
        {
            content: "Matched",
            trigger:
                ".o_list_view .o_data_row:contains(ACMETOUR):not(:has(button[name=action_service_match_payout])) td[name=service_stripe_payout_matched] input:checked",
        },
    ],
});
