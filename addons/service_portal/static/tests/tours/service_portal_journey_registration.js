import { registry } from "@web/core/registry";
import { clickStep, pageStep } from "@service_portal/../tests/tours/service_portal_journey_utils";

/**
 * A new customer, from the login page to the first service request (see
 * tests/test_journey_registration.py, which reads the emailed link in between).
 * Every page visited fits the screen.
 */
registry.category("web_tour.tours").add("service_journey_register", {
    steps: () => [
        pageStep("a#service_register_link", { content: "The login page offers to register" }),
        clickStep("a#service_register_link", "New here? Register"),
        pageStep("form.o_service_register", { content: "The registration form fits" }),
        { content: "Name", trigger: "form.o_service_register input[name=name]", run: "edit Rhea Journey" },
        {
            content: "Email",
            trigger: "form.o_service_register input[name=email]",
            run: "edit rhea.journey@winslow.example",
        },
        { content: "Phone", trigger: "form.o_service_register input[name=phone]", run: "edit +1 217 555 0111" },
        clickStep("form.o_service_register button[type=submit]", "Register"),
        pageStep("#service_register_sent:contains(Check your inbox)", {
            content: "Asked to check the inbox",
        }),
    ],
});

registry.category("web_tour.tours").add("service_journey_first_request", {
    steps: () => [
        pageStep("form.oe_signup_form input[name=confirm_password]", {
            content: "The emailed link opens the choose-a-password page",
        }),
        { content: "Choose a password", trigger: "input[name=password]", run: "edit a-Strong-pass-9" },
        { content: "Confirm it", trigger: "input[name=confirm_password]", run: "edit a-Strong-pass-9" },
        clickStep("form.oe_signup_form button[type=submit]", "Open the account"),
        pageStep(".o_portal_my_home:not(:has(.o_portal_doc_spinner)) a[href='/my/equipment']", {
            content: "Home of the portal, with the customer's equipment",
        }),
        clickStep(".o_portal_my_home a[href='/my/equipment']", "Open the equipment"),
        pageStep("main a:contains(Library boiler)", { content: "The customer's equipment" }),
        clickStep("main a:contains(Library boiler)", "Open the library boiler"),
        pageStep("#service_request_form textarea[name=description]", {
            content: "The equipment page, with Request service",
        }),
        {
            content: "Describe the problem",
            trigger: "#service_request_form textarea[name=description]",
            run: "edit The boiler loses pressure every morning",
        },
        clickStep("#service_request_form button[type=submit]", "Request service"),
        pageStep("#service_requested:contains(A dispatcher will plan the visit)", {
            content: "The first request is registered",
        }),
    ],
});
