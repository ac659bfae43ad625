import { assertFits } from "@service_portal/../tests/tours/service_portal_fits_screen";

/**
 * Steps shared by the personas' journey tours (service_portal/tests/journeys.py gives them
 * window.__serviceJourney: the records' ids and whether to take screenshots).
 */

export function journey() {
    const config = window.__serviceJourney;
    if (!config) {
        throw new Error("No journey given: run this tour from a JourneyTourMixin test");
    }
    return config;
}

/**
 * Once `trigger` shows, the page fits the screen (no sideways scroll, service_portal's fit
 * check); with `shot`, and when the test takes screenshots (SERVICE_SCREENSHOTS), the page
 * is photographed as docs/screenshots/<shot>-phone.png for the README.
 */
export function pageStep(trigger, { content, shot } = {}) {
    return {
        content: content || `${trigger}: the page fits the screen`,
        trigger,
        async run() {
            assertFits();
            const config = window.__serviceJourney;
            if (shot && config && config.shots) {
                window.scrollTo(0, 0);
                document.activeElement?.blur?.();
                // journeys.py takes the screenshot when it reads this line
                console.log(`${config.shotPrefix}${shot}`);
                await new Promise((resolve) => setTimeout(resolve, 1500));
            }
        },
    };
}

/** Click a link or button that loads another page. */
export function clickStep(trigger, content) {
    return { content, trigger, run: "click", expectUnloadPage: true };
}
