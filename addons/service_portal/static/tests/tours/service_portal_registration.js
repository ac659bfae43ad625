import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_portal_register", {
    url: "/web/login",
    steps: () => [
        {
            content: "Go to the registration form from the login page",
            trigger: "a#service_register_link",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Name", trigger: "input[name=name]", run: "edit Rita Match" },
        { content: "Email", trigger: "input[name=email]", run: "edit rita@winslow.example" },
        { content: "Phone", trigger: "input[name=phone]", run: "edit +1 217 555 0199" },
        {
            content: "Register",
            trigger: ".o_service_register button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Asked to check the inbox", trigger: "#service_register_sent:contains(Check your inbox)" },
    ],
});

registry.category("web_tour.tours").add("service_portal_verify_and_edit_profile", {
    steps: () => [
        { content: "Choose a password", trigger: "input[name=password]", run: "edit a-Strong-pass-9" },
        { content: "Confirm it", trigger: "input[name=confirm_password]", run: "edit a-Strong-pass-9" },
        {
            content: "Open the account",
            trigger: "form.oe_signup_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Linked at once: the customer's sites are there",
            trigger: "a[href='/my/sites']",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Both sites of Winslow Estates", trigger: "a:contains(South Campus)" },
        {
            content: "Back home",
            trigger: ".breadcrumb a[href='/my/home']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Edit the profile",
            trigger: "a[href='/my/account']:contains(Edit information)",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Change the phone", trigger: "input[name=phone]", run: "edit +1 217 555 0142" },
        {
            content: "Save (once the page's scripts handle the form)",
            trigger: "body[is-ready=true] button#save_address",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new phone shows on the portal",
            trigger: ".o_portal_my_details:contains(+1 217 555 0142)",
        },
        {
            content: "Open the notification preferences",
            trigger: "a[href='/my/notifications']",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Turn off visit reminders", trigger: "input#service_notify_visit_reminders", run: "click" },
        {
            content: "Save the preferences",
            trigger: "#service_preferences button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "Saved", trigger: "#service_preferences_saved" },
    ],
});
