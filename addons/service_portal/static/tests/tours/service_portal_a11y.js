import { registry } from "@web/core/registry";
import {
    describe,
    eachPageSteps,
    pageOverflow,
} from "@service_portal/../tests/tours/service_portal_fits_screen";

/**
 * axe-core on each page given by service_portal/tests/a11y.py (which injects axe and
 * window.__serviceA11y into every document): open the page, play the page's own steps if
 * it has some (e.g. submit a form with a wrong value, to check the page that shows the
 * error), wait until it is ready, run the WCAG 2.1 A/AA rules and log the violations for
 * the test to compare with its baseline. The steps are rebuilt from the same configuration
 * after each page load. With `reflowOnly` (the 320 px pass) only the reflow check runs.
 */

/** WCAG 1.4.10 Reflow (at 320 CSS px and on our 375 px phones) as an axe-like violation. */
function reflowViolation() {
    const { overflow, width, wide } = pageOverflow();
    if (overflow <= 0) {
        return [];
    }
    return [
        {
            id: "reflow",
            impact: "serious",
            help: `The page is ${overflow}px wider than the ${width}px screen`,
            nodes: wide.slice(0, 5).map((el) => ({
                target: [describe(el)],
                html: el.outerHTML.slice(0, 200),
                summary: "Horizontal scrolling needed",
            })),
        },
    ];
}

async function runAxe(config, url) {
    const violations = [];
    if (!config.reflowOnly) {
        const results = await window.axe.run(document, {
            runOnly: { type: "tag", values: config.tags },
            // WCAG 2.2's touch target size (24 x 24 px), checked at every width too
            rules: { "target-size": { enabled: true } },
            resultTypes: ["violations"],
        });
        violations.push(
            ...results.violations.map((violation) => ({
                id: violation.id,
                impact: violation.impact,
                help: violation.help,
                nodes: violation.nodes.map((node) => ({
                    target: node.target,
                    html: node.html,
                    summary: node.failureSummary,
                })),
            }))
        );
    }
    violations.push(...reflowViolation());
    const width = document.documentElement.clientWidth;
    console.log(config.prefix + JSON.stringify({ url, width, violations }));
}

registry.category("web_tour.tours").add("service_portal_a11y_pages", {
    steps: () => {
        const config = window.__serviceA11y;
        if (!config) {
            throw new Error("axe-core was not injected: run this tour from a11y.py");
        }
        return eachPageSteps(
            config.pages,
            (page) => ({
                content: `WCAG 2.1 A/AA on ${page.url}`,
                trigger: page.ready,
                run: () => runAxe(config, page.url),
            }),
            (page) =>
                (page.steps || []).map(({ setValue, ...step }) =>
                    // setValue: a value typing cannot give (spaces only, say), set as is
                    setValue === undefined
                        ? step
                        : {
                              ...step,
                              run() {
                                  this.anchor.value = setValue;
                              },
                          }
                )
        );
    },
});
