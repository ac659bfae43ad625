import { registry } from "@web/core/registry";
import { recordPartSteps, tickStep } from "@service_licensing/../tests/tours/service_licensing_tour_utils";

registry.category("web_tour.tours").add("service_licensing_work_checklist", {
    steps: () => [
        tickStep(":contains(Bleed the radiators)"),
        {
            content: "The step is ticked, by the technician",
            trigger: "#service_work_checklist .o_service_work_step_by:contains(Terry Tech)",
        },
        ...recordPartSteps("Gasket", 2),
        {
            content: "Two of them",
            trigger: "#service_work_usage .o_service_work_usage_line:contains(Gasket):contains(× 2)",
        },
    ],
});
