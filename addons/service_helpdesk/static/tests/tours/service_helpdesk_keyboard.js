import { registry } from "@web/core/registry";

/**
 * Keyboard only: a customer files a request, approves an estimate and signs off an order
 * without the mouse. Focus moves with the Tab key (hoot's press, which follows the tab
 * order of the page); keys are dispatched to the focused element. Chromium does not run the
 * default action of a key event dispatched by a script, so pressKey() does what the browser
 * does for a real key press on that element (Enter follows a link, presses a button or
 * submits the form; Space presses a button; arrows move a select's choice), and only when
 * the page's own handlers did not prevent it.
 */
function hootDom() {
    return odoo.loader.modules.get("@odoo/hoot-dom");
}

function assertFocusVisible(el) {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    if (!outline && style.boxShadow === "none") {
        throw new Error(`No visible focus indicator on ${el.outerHTML.slice(0, 200)}`);
    }
}

/** Press Tab until the focused element matches (a selector or a predicate). */
async function tabTo(target, maxTabs = 100) {
    const { press } = hootDom();
    const matches = typeof target === "string" ? (el) => el.matches(target) : target;
    const focused = document.activeElement;
    if (focused && focused !== document.body && matches(focused)) {
        // already there (autofocus)
        assertFocusVisible(focused);
        return focused;
    }
    const trail = [];
    for (let i = 0; i < maxTabs; i++) {
        await press("Tab");
        const el = document.activeElement;
        if (el && el !== document.body && matches(el)) {
            assertFocusVisible(el);
            return el;
        }
        trail.push(el?.outerHTML.slice(0, 80));
    }
    throw new Error(`"${target}" cannot be reached with the Tab key:\n${trail.join("\n")}`);
}

function moveSelect(select, step) {
    const options = [...select.options];
    for (let i = select.selectedIndex + step; i >= 0 && i < options.length; i += step) {
        if (!options[i].disabled && !options[i].hidden) {
            select.selectedIndex = i;
            select.dispatchEvent(new Event("input", { bubbles: true }));
            select.dispatchEvent(new Event("change", { bubbles: true }));
            return;
        }
    }
}

function pressKey(key) {
    const el = document.activeElement;
    const init = { key, bubbles: true, cancelable: true, view: window };
    const proceed = el.dispatchEvent(new KeyboardEvent("keydown", init));
    if (proceed) {
        if (key === "Enter") {
            if (el.matches("a[href], button, summary, input[type=submit]")) {
                el.click();
            } else if (el.form && el.matches("input:not([type=checkbox]):not([type=radio])")) {
                el.form.requestSubmit();
            }
        } else if (key === " " && el.matches("button, summary, input[type=checkbox], input[type=radio]")) {
            el.click();
        } else if (el.tagName === "SELECT" && (key === "ArrowDown" || key === "ArrowUp")) {
            moveSelect(el, key === "ArrowDown" ? 1 : -1);
        }
    }
    el.dispatchEvent(new KeyboardEvent("keyup", init));
}

function typeText(text) {
    const el = document.activeElement;
    for (const char of text) {
        const init = { key: char, bubbles: true, cancelable: true, view: window };
        if (el.dispatchEvent(new KeyboardEvent("keydown", init))) {
            el.value += char;
            el.dispatchEvent(new InputEvent("input", { bubbles: true, data: char, inputType: "insertText" }));
        }
        el.dispatchEvent(new KeyboardEvent("keyup", init));
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
}

function chooseWithArrows(select, label) {
    for (let i = 0; i <= select.options.length; i++) {
        if (select.selectedOptions[0]?.text.includes(label)) {
            return;
        }
        pressKey("ArrowDown");
    }
    throw new Error(`"${label}" cannot be chosen with the arrow keys in ${select.name}`);
}

registry.category("web_tour.tours").add("service_helpdesk_keyboard_only", {
    steps: () => [
        // 1. File a request
        {
            content: "Tab to the kind of request and follow it with Enter",
            trigger: ".o_request_types a:contains(Planned maintenance request)",
            async run() {
                await tabTo(
                    (el) =>
                        el.matches(".o_request_types a") &&
                        el.textContent.includes("Planned maintenance request")
                );
                pressKey("Enter");
            },
            expectUnloadPage: true,
        },
        {
            content: "Choose the site with the arrow keys",
            trigger: ".o_request_form.o_request_form_ready select[name=site_id]",
            async run() {
                const select = await tabTo("select[name=site_id]");
                chooseWithArrows(select, "North Campus");
            },
        },
        {
            content: "Type the subject",
            trigger: "select[name=site_id]:has(option:selected:contains(North Campus))",
            async run() {
                await tabTo("input[name=subject]");
                typeText("Radiators cold on the first floor");
            },
        },
        {
            content: "Type the description",
            trigger: "input[name=subject]:value(Radiators cold on the first floor)",
            async run() {
                await tabTo("textarea[name=description]");
                typeText("Since this morning, every radiator of the first floor is cold.");
            },
        },
        {
            content: "Submit with Enter",
            trigger: "textarea[name=description]:value(/every radiator/)",
            async run() {
                await tabTo("button.o_submit_request");
                pressKey("Enter");
            },
            expectUnloadPage: true,
        },
        {
            content: "The request is filed",
            trigger: "#request_created:contains(Your request was sent)",
            run() {
                window.location.href = window.__serviceA11y.estimateRequestUrl;
            },
            expectUnloadPage: true,
        },
        // 2. Approve an estimate
        {
            content: "Tab to Approve and press Enter",
            trigger: ".o_request_estimate:contains(Awaiting your approval) button.o_estimate_approve",
            async run() {
                await tabTo(".o_request_estimate textarea[name=comment]");
                typeText("Go ahead");
                await tabTo("button.o_estimate_approve");
                pressKey("Enter");
            },
            expectUnloadPage: true,
        },
        {
            content: "Approved",
            trigger: "#estimate_approved:contains(the estimate is approved)",
            run() {
                window.location.href = window.__serviceA11y.orderUrl;
            },
            expectUnloadPage: true,
        },
        // 3. Sign off an order with the typed name (no drawing)
        {
            content: "The sign-off offers to type the name, and is in that mode",
            trigger: "#service_signoff .o_web_sign_auto_button.active",
        },
        {
            content: "Type the name",
            trigger: "#service_signoff input[name=signer]",
            async run() {
                const input = await tabTo("#service_signoff input[name=signer]");
                input.select();
                pressKey("Backspace");
                input.value = "";
                input.dispatchEvent(new InputEvent("input", { bubbles: true }));
                typeText("Wanda Winslow");
            },
        },
        {
            content: "Sign off with Enter",
            trigger: "#service_signoff .o_portal_sign_submit:enabled",
            async run() {
                await tabTo("#service_signoff .o_portal_sign_submit");
                pressKey("Enter");
            },
            expectUnloadPage: true,
        },
        {
            content: "Signed off",
            trigger: "#service_signoff:contains(Signed off by):contains(Wanda Winslow)",
        },
    ],
});
