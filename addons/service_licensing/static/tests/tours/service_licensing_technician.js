import { registry } from "@web/core/registry";
import { markDoneSteps, openAndStartVisitSteps } from "@service_licensing/../tests/tours/service_licensing_tour_utils";

registry.category("web_tour.tours").add("service_licensing_technician_done", {
    url: "/my",
    steps: () => [
        {
            content: "Open the workspace",
            trigger: "#service_work_entry a[href='/my/work']",
            run: "click",
            expectUnloadPage: true,
        },
        ...openAndStartVisitSteps("Library boiler"),
        { content: "Write a note", trigger: "#service_work_note textarea[name=note]", run: "edit Boiler serviced" },
        {
            content: "Add the note",
            trigger: "#service_work_note button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        ...markDoneSteps(),
        { content: "The order is done", trigger: "#service_work_state:contains(Done)" },
    ],
});
