import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_licensing_work_checklist", {
    steps: () => [
        {
            content: "Tick the first step of the checklist",
            trigger: "#service_work_checklist button[aria-pressed=false]:contains(Bleed the radiators)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The step is ticked, by the technician",
            trigger: "#service_work_checklist .o_service_work_step_by:contains(Terry Tech)",
        },
        { content: "Name the part", trigger: "#usage_part", run: "edit Gasket" },
        { content: "Two of them", trigger: "#usage_quantity", run: "edit 2" },
        {
            content: "Add the part",
            trigger: "#service_work_usage_part_add",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The part is listed",
            trigger: "#service_work_usage .o_service_work_usage_line:contains(Gasket):contains(× 2)",
        },
    ],
});
