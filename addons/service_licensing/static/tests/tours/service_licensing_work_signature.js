import { registry } from "@web/core/registry";

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

registry.category("web_tour.tours").add("service_licensing_work_signature", {
    url: "/my/work",
    steps: () => [
        {
            content: "Open the assigned boiler visit",
            trigger: "#service_work_open a.list-group-item:contains(Library boiler)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Start the work",
            trigger: "#service_work_start",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The signer's name is the site's contact",
            trigger: "#service_work_signature .o_web_sign_name_input:value(Nick Northcott)",
        },
        {
            content: "Nothing drawn yet: nothing to send",
            trigger: "#service_work_signature .o_portal_sign_submit:disabled",
        },
        {
            content: "The customer signs with a finger",
            trigger: "#service_work_signature canvas.o_web_sign_signature",
            async run({ anchor }) {
                await drawSignature(anchor);
            },
        },
        {
            content: "The drawing is on the canvas",
            trigger: "#service_work_signature canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Send the signature",
            trigger: "#service_work_signature .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "The signature is saved", trigger: "#service_work_signed" },
        {
            content: "The page says who signed",
            trigger: "#service_work_signature:contains(Signed by Nick Northcott)",
        },
        ...markDoneSteps(),
        { content: "The order is done", trigger: "#service_work_state:contains(Done)" },
        {
            content: "The summary the customer received is on the page",
            trigger: "#service_work_summary:contains(Signed by Nick Northcott)",
        },
        {
            content: "Nothing scrolls sideways on the phone",
            trigger: "#service_work_summary",
            run() {
                const root = document.scrollingElement;
                if (root.scrollWidth > root.clientWidth) {
                    throw new Error(`the page scrolls sideways: ${root.scrollWidth}px`);
                }
            },
        },
    ],
});
