/**
 * Steps shared by the licensing tours: the technician's workspace (/my/work) on a phone.
 */

/** Mark the order done from the workspace: ask, then confirm (the page reloads). */
export function markDoneSteps() {
    return [
        { content: "Mark done", trigger: "#service_work_done_ask", run: "click" },
        {
            content: "Confirm the work is done",
            trigger: "#service_work_done_button:visible",
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

/** Draw a stroke on the signature canvas with the pointer events a finger sends. */
export async function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const points = [
        [0.1, 0.7],
        [0.25, 0.3],
        [0.4, 0.75],
        [0.55, 0.25],
        [0.7, 0.7],
        [0.9, 0.35],
    ];
    const pointer = (type, [x, y], buttons) =>
        new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            pointerId: 1,
            pointerType: "touch",
            isPrimary: true,
            button: 0,
            buttons,
            pressure: buttons ? 0.5 : 0,
            clientX: rect.left + x * rect.width,
            clientY: rect.top + y * rect.height,
        });
    canvas.dispatchEvent(pointer("pointerdown", points[0], 1));
    for (const point of points.slice(1)) {
        // the pad ignores moves closer than its throttle (16 ms)
        await new Promise((resolve) => setTimeout(resolve, 40));
        canvas.dispatchEvent(pointer("pointermove", point, 1));
    }
    canvas.dispatchEvent(pointer("pointerup", points.at(-1), 0));
}

/** Open the assigned visit of `equipment` from the workspace, and start the work. */
export function openAndStartVisitSteps(equipment) {
    return [
        {
            content: `Open the assigned visit: ${equipment}`,
            trigger: `#service_work_open a.list-group-item:contains(${equipment})`,
            run: "click",
            expectUnloadPage: true,
        },
        startWorkStep(),
    ];
}

/** Start the work on the visit's page (the page reloads). */
export function startWorkStep(content = "Start the work") {
    return { content, trigger: "#service_work_start", run: "click", expectUnloadPage: true };
}

/** Tick a step of the checklist not ticked yet, chosen by `which` (e.g. ":first"). */
export function tickStep(which) {
    return {
        content: `Tick the step of the checklist ${which}`,
        trigger: `#service_work_checklist button.o_service_work_step_toggle[aria-pressed=false]${which}`,
        run: "click",
        expectUnloadPage: true,
    };
}

/** Record `quantity` of the part `part` used on the visit: it is listed. */
export function recordPartSteps(part, quantity) {
    return [
        { content: "Name the part used", trigger: "#usage_part", run: `edit ${part}` },
        { content: "How many", trigger: "#usage_quantity", run: `edit ${quantity}` },
        {
            content: "Record the part",
            trigger: "#service_work_usage_part_add",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The part is listed",
            trigger: `#service_work_usage .o_service_work_usage_line:contains(${part})`,
        },
    ];
}

/**
 * The customer signs with a finger on the visit's page, and the signature is sent (the page
 * reloads); with `checkDrawn`, the drawing is checked on the canvas before.
 */
export function signatureSteps({ checkDrawn = false } = {}) {
    return [
        {
            content: "The customer signs with a finger",
            trigger: "#service_work_signature canvas.o_web_sign_signature",
            async run({ anchor }) {
                await drawSignature(anchor);
            },
        },
        ...(checkDrawn
            ? [
                  {
                      content: "The drawing is on the canvas",
                      trigger: "#service_work_signature canvas.o_web_sign_signature",
                      run: "canvasNotEmpty",
                  },
              ]
            : []),
        {
            content: "Send the signature",
            trigger: "#service_work_signature .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

/** In the invoices' list (backend), filter the licence-subscription invoices. */
export function licenceInvoicesFilterSteps() {
    return [
        {
            content: "Filter the licence-subscription invoices",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains(Licence Subscriptions)",
            run: "click",
        },
        {
            trigger: ".o_searchview .o_facet_value:contains(Licence Subscriptions)",
        },
    ];
}
