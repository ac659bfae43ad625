import { registry } from "@web/core/registry";

/** Allocate a licence to Tara Tour, then remove her typing DELETE. */
function allocateAndRemoveSteps() {
    return [
        {
            content: "Open the allocation form",
            trigger: "summary:contains(Allocate licences)",
            run: "click",
        },
        {
            content: "Type the technician's name",
            trigger: ".o_service_allocate input[name=name]",
            run: "edit Tara Tour",
        },
        {
            content: "Type the technician's email",
            trigger: ".o_service_allocate input[name=email]",
            run: "edit tara@acme.example",
        },
        {
            content: "Choose the device",
            trigger: ".o_service_allocate select[name=device_type]",
            run: "select android",
        },
        {
            content: "Save the allocation",
            trigger: ".o_service_allocate button:contains(Save)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The licence is allocated",
            trigger: "#service_allocated:contains(The licence is allocated)",
        },
        {
            content: "Open the removal of the new technician",
            trigger: "tr.o_service_license:contains(Tara Tour) summary[title='Remove technician']",
            run: "click",
        },
        {
            content: "Confirm by typing DELETE",
            trigger: "tr.o_service_license:contains(Tara Tour) input[name=confirm]",
            run: "edit DELETE",
        },
        {
            content: "Remove the technician",
            trigger: "tr.o_service_license:contains(Tara Tour) button:contains(Remove technician)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The technician is removed",
            trigger: "#service_removed:contains(The technician is removed)",
        },
        {
            content: "and no longer listed",
            trigger: "body:not(:has(tr.o_service_license:contains(Tara Tour)))",
        },
    ];
}

registry.category("web_tour.tours").add("service_licensing_technicians", {
    steps: allocateAndRemoveSteps,
});

// After a plan bought through Stripe Checkout is confirmed by its webhook: the admin sees it
// active in Your Purchases, then allocates one of its licences and removes it.
registry.category("web_tour.tours").add("service_licensing_bought_plan_technicians", {
    steps: () => [
        {
            content: "The new plan is listed, active",
            trigger: "tr.o_service_subscription:contains(Technician licence, monthly):contains(Active)",
        },
        {
            content: "Go to the technicians",
            trigger: "body",
            run: "goToUrl /my/technicians",
            expectUnloadPage: true,
        },
        {
            content: "The plan's two licences are free",
            trigger: "span.badge:contains(0 / 2 allocated)",
        },
        ...allocateAndRemoveSteps(),
    ],
});
