import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_login", {
    steps: () => [
        {
            content: "Type the login of the site contact",
            trigger: "input[name=login]",
            run: "edit north@winslow.example",
        },
        {
            content: "Type the password",
            trigger: "input[name=password]",
            run: "edit north",
        },
        {
            content: "Log in",
            trigger: "button[type=submit]:contains(Log in)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The portal greets the contact by name",
            trigger: "body:contains(Nick Northcott)",
        },
    ],
});
