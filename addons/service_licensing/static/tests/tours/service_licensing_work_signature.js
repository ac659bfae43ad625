import { registry } from "@web/core/registry";
import {
    markDoneSteps,
    openAndStartVisitSteps,
    signatureSteps,
} from "@service_licensing/../tests/tours/service_licensing_tour_utils";

registry.category("web_tour.tours").add("service_licensing_work_signature", {
    url: "/my/work",
    steps: () => [
        ...openAndStartVisitSteps("Library boiler"),
        {
            content: "The signer's name is the site's contact",
            trigger: "#service_work_signature .o_web_sign_name_input:value(Nick Northcott)",
        },
        {
            content: "Nothing drawn yet: nothing to send",
            trigger: "#service_work_signature .o_portal_sign_submit:disabled",
        },
        ...signatureSteps({ checkDrawn: true }),
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
