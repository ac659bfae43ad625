import { registry } from "@web/core/registry";

/**
 * axe-core on each page given by service_portal/tests/a11y.py (which injects axe and
 * window.__serviceA11y into every document): open the page, wait until it is ready, run
 * the WCAG 2.1 A/AA rules and log the violations for the test to compare with its
 * baseline. The steps are rebuilt from the same configuration after each page load.
 */
/** WCAG 1.4.10 Reflow: at 320 CSS px (and our 375 px phones) no horizontal scrolling. */
function reflowViolation() {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow <= 1) {
        return [];
    }
    const wide = [...document.querySelectorAll("main *")].filter(
        (el) => el.getBoundingClientRect().right > window.innerWidth + 1
    );
    return [
        {
            id: "reflow",
            impact: "serious",
            help: `The page is ${overflow}px wider than the ${window.innerWidth}px screen`,
            nodes: wide.slice(0, 5).map((el) => ({
                target: [el.tagName.toLowerCase() + (el.className ? `.${[...el.classList].join(".")}` : "")],
                html: el.outerHTML.slice(0, 200),
                summary: "Horizontal scrolling needed",
            })),
        },
    ];
}

async function runAxe(config, url) {
    const results = await window.axe.run(document, {
        runOnly: { type: "tag", values: config.tags },
        // WCAG 2.2's touch target size (24 x 24 px), checked at every width too
        rules: { "target-size": { enabled: true } },
        resultTypes: ["violations"],
    });
    const violations = results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
            target: node.target,
            html: node.html,
            summary: node.failureSummary,
        })),
    }));
    violations.push(...reflowViolation());
    console.log(config.prefix + JSON.stringify({ url, violations }));
}

registry.category("web_tour.tours").add("service_portal_a11y_pages", {
    steps: () => {
        const config = window.__serviceA11y;
        if (!config) {
            throw new Error("axe-core was not injected: run this tour from a11y.py");
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
                content: `WCAG 2.1 A/AA on ${page.url}`,
                trigger: page.ready,
                run: () => runAxe(config, page.url),
            },
        ]);
    },
});
