import { registry } from "@web/core/registry";

// An admin asks to keep fewer licences of a subscription, from Your Purchases.
registry.category("web_tour.tours").add("service_licensing_change_request", {
    steps: () => [
        {
            content: "Open the request form of the subscription",
            trigger: "tr.o_service_subscription summary:contains(Request cancellation or fewer licences)",
            run: "click",
        },
        {
            content: "Keep fewer licences",
            trigger: "tr.o_service_subscription details[open] select[name=kind]",
            run: "select reduce",
        },
        {
            content: "Keep three",
            trigger: "tr.o_service_subscription details[open] input[name=quantity]",
            run: "edit 3",
        },
        {
            content: "Say why",
            trigger: "tr.o_service_subscription details[open] textarea[name=comment]",
            run: "edit Two technicians left in May.",
        },
        {
            content: "Send the request",
            trigger: "tr.o_service_subscription details[open] button:contains(Send the request)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is sent",
            trigger: ".o_service_outcome:contains(Your request is sent)",
        },
    ],
});
