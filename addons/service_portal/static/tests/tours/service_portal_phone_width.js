import { registry } from "@web/core/registry";

function assertNoHorizontalScroll() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
        throw new Error(`The page is ${overflow}px wider than the ${window.innerWidth}px screen`);
    }
}

function visit(url, trigger) {
    return [
        {
            content: `Open ${url}`,
            trigger: "body",
            run: () => {
                window.location.href = url;
            },
            expectUnloadPage: true,
        },
        {
            content: `${url} fits a phone screen`,
            trigger,
            run: assertNoHorizontalScroll,
        },
    ];
}

registry.category("web_tour.tours").add("service_portal_phone_width", {
    url: "/my",
    steps: () => [
        { content: "Home fits", trigger: "#service_dashboard", run: assertNoHorizontalScroll },
        ...visit("/my/sites", "a:contains(North Campus)"),
        ...visit("/my/service-orders?filterby=all", ".o_portal_my_doc_table"),
        ...visit("/my/equipment", "a:contains(Library boiler)"),
        ...visit("/my/documents", "a:contains(Boiler safety certificate)"),
    ],
});
