import { registry } from "@web/core/registry";

/**
 * axe-core on each page given by service_portal/tests/a11y.py (which injects axe and
 * window.__serviceA11y into every document): open the page, play the page's own steps if
 * it has some (e.g. submit a form with a wrong value, to check the page that shows the
 * error), wait until it is ready, run the WCAG 2.1 A/AA rules and log the violations for
 * the test to compare with its baseline. The steps are rebuilt from the same configuration
 * after each page load. With `reflowOnly` (the 320 px pass) only the reflow check runs.
 */

/**
 * WCAG 1.4.10 Reflow: at 320 CSS px (1280 px at 400% zoom) and on our 375 px phones, no
 * horizontal scrolling of the page. A data table may scroll inside its own box (the
 * criterion's exception for two-dimensional content): that does not widen the page.
 */
function reflowViolation() {
    const root = document.documentElement;
    const overflow = root.scrollWidth - root.clientWidth;
    if (overflow <= 0) {
        return [];
    }
    const wide = [...document.querySelectorAll("body *")].filter(
        (el) =>
            el.getBoundingClientRect().right > root.clientWidth + 1 &&
            // not the closed off-canvas menu, which waits off-screen, hidden
            el.checkVisibility({ visibilityProperty: true }) &&
            // the innermost elements that stick out: their parents are listed by them
            ![...el.children].some((child) => child.getBoundingClientRect().right > root.clientWidth + 1)
    );
    return [
        {
            id: "reflow",
            impact: "serious",
            help: `The page is ${overflow}px wider than the ${root.clientWidth}px screen`,
            nodes: wide.slice(0, 5).map((el) => ({
                target: [
                    el.tagName.toLowerCase() +
                        (el.id ? `#${el.id}` : "") +
                        (el.classList.length ? `.${[...el.classList].join(".")}` : ""),
                ],
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
            ...(page.steps || []).map(({ setValue, ...step }) =>
                // setValue: a value typing cannot give (spaces only, say), set as is
                setValue === undefined
                    ? step
                    : {
                          ...step,
                          run() {
                              this.anchor.value = setValue;
                          },
                      }
            ),
            {
                content: `WCAG 2.1 A/AA on ${page.url}`,
                trigger: page.ready,
                run: () => runAxe(config, page.url),
            },
        ]);
    },
});
