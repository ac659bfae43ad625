import { queryAll } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

/**
 * Every page given by service_portal/tests/fit.py (window.__serviceFit) fits the screen:
 * the page is not wider than the window, and no visible element of the page's content
 * scrolls sideways (a table the reader would have to swipe). Console errors fail the
 * tour by themselves.
 *
 * A page may come with `steps` played before the check (e.g. open a form folded in a
 * <details>) and a `form`: a selector of forms whose fields must then be usable, each field
 * at least 200px wide (or the whole width the screen leaves it) and shown whole, not cut
 * off by the screen or by a box around it.
 *
 * The journeys' tours (service_licensing/static/tests/tours/service_persona_journeys.js)
 * import `assertFits` and `fitStep` to run the same check on every page they visit.
 */
export function describe(el) {
    const id = el.id ? `#${el.id}` : "";
    const classes = el.classList.length ? `.${[...el.classList].join(".")}` : "";
    return `${el.tagName.toLowerCase()}${id}${classes}`;
}

const MIN_FIELD_WIDTH = 200;

/** What stops a form's fields being used: crushed or cut off. */
function formProblems(selector) {
    const forms = queryAll(selector).filter(
        (form) => form.getClientRects().length
    );
    if (!forms.length) {
        return [`no visible form ${selector}`];
    }
    const problems = [];
    for (const form of forms) {
        const fields = form.querySelectorAll(
            "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea"
        );
        for (const field of fields) {
            if (!field.getClientRects().length) {
                continue;
            }
            const rect = field.getBoundingClientRect();
            const name = `${describe(field)}[name=${field.name}]`;
            // a phone leaves a field of a card in a list card less than 200px at worst
            const minimum = Math.min(MIN_FIELD_WIDTH, window.innerWidth - 120);
            if (rect.width < minimum) {
                problems.push(`${name} is crushed to ${Math.round(rect.width)}px`);
            }
            let right = window.innerWidth;
            let left = 0;
            for (let box = field.parentElement; box; box = box.parentElement) {
                if (getComputedStyle(box).overflowX !== "visible") {
                    const boxRect = box.getBoundingClientRect();
                    right = Math.min(right, boxRect.right);
                    left = Math.max(left, boxRect.left);
                }
            }
            if (rect.right > right + 1 || rect.left < left - 1) {
                problems.push(
                    `${name} is cut off (${Math.round(rect.left)}-${Math.round(rect.right)}px shown in ${Math.round(left)}-${Math.round(right)}px)`
                );
            }
        }
    }
    return problems;
}

/**
 * WCAG 1.4.10 Reflow: how many px the page is wider than the screen, and the innermost
 * visible elements that stick out (their parents are listed by them; the closed off-canvas
 * menu, waiting hidden off-screen, is not). The a11y pass reports it as a violation.
 */
export function pageOverflow() {
    const root = document.documentElement;
    const width = root.clientWidth;
    const overflow = root.scrollWidth - width;
    const sticksOut = (el) => el.getBoundingClientRect().right > width + 1;
    const wide =
        overflow <= 0
            ? []
            : [...document.querySelectorAll("body *")].filter(
                  (el) =>
                      sticksOut(el) &&
                      el.checkVisibility({ visibilityProperty: true }) &&
                      ![...el.children].some(sticksOut)
              );
    return { overflow, width, wide };
}

/**
 * The steps of a tour over `pages` (the first one is where the tour starts): open each page,
 * play `pageSteps(page)`, then `check(page)`, a step.
 */
export function eachPageSteps(pages, check, pageSteps = (page) => page.steps || []) {
    return pages.flatMap((page, index) => [
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
        ...pageSteps(page),
        check(page),
    ]);
}

/** Throws when the page is wider than the screen or a box of it scrolls sideways. */
export function assertFits(url = window.location.pathname, form = null) {
    const problems = [];
    const { overflow, width, wide } = pageOverflow();
    if (overflow > 1) {
        problems.push(
            `the page is ${overflow}px wider than the ${width}px screen (${wide
                .slice(0, 3)
                .map(describe)
                .join(", ")})`
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
    if (form) {
        problems.push(...formProblems(form));
    }
    if (problems.length) {
        throw new Error(`${url} at ${window.innerWidth}px: ${problems.join("; ")}`);
    }
}

/** A tour step: once `trigger` shows, the page fits the screen. */
export function fitStep(trigger, content = "The page fits the screen") {
    return { content, trigger, run: () => assertFits() };
}

registry.category("web_tour.tours").add("service_portal_fits_screen", {
    steps: () => {
        const config = window.__serviceFit;
        if (!config) {
            throw new Error("No pages given: run this tour from service_portal/tests/fit.py");
        }
        return eachPageSteps(config.pages, (page) => ({
            content: `${page.url} fits the screen`,
            trigger: page.ready,
            run: () => assertFits(page.url, page.form),
        }));
    },
});
