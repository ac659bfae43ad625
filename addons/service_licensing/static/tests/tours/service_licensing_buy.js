import { registry } from "@web/core/registry";

// An admin buys a monthly plan: Odoo creates the Checkout session on the Stripe fake and
// sends the browser to the fake's hosted checkout page, which pays (the fake's auto_pay) and
// sends the browser back to Your Purchases.
registry.category("web_tour.tours").add("service_licensing_buy", {
    steps: () => [
        {
            content: "Choose two licences of the monthly plan",
            trigger: "form.o_service_buy:has(button:contains(Buy monthly plan)) input[name=quantity]",
            run: "edit 2",
        },
        {
            content: "Buy the monthly plan: off to Stripe Checkout",
            trigger: "form.o_service_buy button:contains(Buy monthly plan)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Paid, back on Your Purchases",
            trigger: "#service_bought:contains(your purchase appears here)",
        },
    ],
});
