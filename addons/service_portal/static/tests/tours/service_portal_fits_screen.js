import { registry } from "@web/core/registry";

/**
 * Every page given by service_portal/tests/fit.py (window.__serviceFit) fits the screen:
 * the page is not wider than the window, and no visible element of the page's content
 * scrolls sideways (a table the reader would have to swipe). Console errors fail the
 * tour by themselves.
 */
function describe(el) {
    const id = el.id ? `#${el.id}` : "";
    const classes = el.classList.length ? `.${[...el.classList].join(".")}` : "";
    return `${el.tagName.toLowerCase()}${id}${classes}`;
}

function assertFits(url) {
    const problems = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
        const wide = [...document.querySelectorAll("main *")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3)
            .map(describe);
        problems.push(
            `the page is ${overflow}px wider than the ${window.innerWidth}px screen (${wide.join(", ")})`
        );
    }
    for (const el of document.querySelectorAll("main *")) {
        if (!el.getClientRects().length) {
            continue; // not shown
        }
        const overflowX = getComputedStyle(el).overflowX;
        if (["auto", "scroll"].includes(overflowX) && el.scrollWidth > el.clientWidth + 1) {
            problems.push(
                `${describe(el)} scrolls sideways (${el.scrollWidth}px of content in ${el.clientWidth}px)`
            );
        }
    }
    if (problems.length) {
        throw new Error(`${url} at ${window.innerWidth}px: ${problems.join("; ")}`);
    }
}

registry.category("web_tour.tours").add("service_portal_fits_screen", {
    steps: () => {
        const config = window.__serviceFit;
        if (!config) {
            throw new Error("No pages given: run this tour from service_portal/tests/fit.py");
        }
        return config.pages.flatMap((page, index) => [
            ...(index
                ? [
                      {
                          content: `Open ${page.url}`,
                          trigger: "body",
                          run: () => {
                              window.location.href = page.url;
                          },
                          expectUnloadPage: true,
                      },
                  ]
                : []),
            {
                content: `${page.url} fits the screen`,
                trigger: page.ready,
                run: () => assertFits(page.url),
            },
        ]);
    },
});
