import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_licensing_technicians", {
    steps: () => [
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
            trigger: ".o_service_licensing_done:contains(The licence is allocated)",
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
            trigger: ".o_service_licensing_done:contains(The technician is removed)",
        },
        {
            content: "and no longer listed",
            trigger: "body:not(:has(tr.o_service_license:contains(Tara Tour)))",
        },
    ],
});
