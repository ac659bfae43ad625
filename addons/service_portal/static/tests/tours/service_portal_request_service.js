import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_request_service", {
    url: "/my",
    steps: () => [
        {
            content: "Open the job sites from the portal home",
            trigger: "a[href='/my/sites']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the North Campus site",
            trigger: "a:contains(North Campus)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the site's equipment tab",
            trigger: ".nav-tabs a:contains(Equipment)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the library boiler",
            trigger: ".o_service_site_tab a:contains(Library boiler)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Describe the problem",
            trigger: "#service_request_form textarea[name=description]",
            run: "edit The boiler bangs when it starts",
        },
        {
            content: "Request service",
            trigger: "#service_request_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new order is confirmed",
            trigger: "#service_requested:contains(A dispatcher will plan the visit)",
        },
        {
            content: "It carries the customer's words",
            trigger: ".card-body:contains(The boiler bangs when it starts)",
        },
        {
            content: "Go to the service orders",
            trigger: ".breadcrumb a[href='/my/service-orders']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Show all orders",
            trigger: "#portal_searchbar_filters",
            run: "click",
        },
        {
            content: "Pick All",
            trigger: ".dropdown-menu a:contains(All):not(:contains(open))",
            run: "click",
            expectUnloadPage: true,
        },
        {
            // the customer's word for a draft, never the internal state
            content: "The new order is listed, not scheduled yet",
            trigger: ".o_service_order_row:contains(The boiler bangs when it starts) .badge:contains(Not scheduled yet)",
        },
    ],
});
