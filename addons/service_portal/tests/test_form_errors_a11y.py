import re

from odoo import http
from odoo.tests import tagged

from .a11y import AxeTourMixin, FieldErrorAssertions
from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestFormErrorsAccessibility(FieldErrorAssertions, AxeTourMixin, ServicePortalHttpCase):
    """A form refused by the server says which field is wrong to assistive technologies:
    the field has aria-invalid and its aria-describedby names the message, which is
    announced (WCAG 3.3.1 Error Identification, 4.1.3 Status Messages)."""

    def _post(self, url, **form):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **form})

    def _register(self, **form):
        return self._post(
            "/portal/register", **{"name": "Someone", "email": "someone@example.com", **form}
        )

    def test_registration_errors_name_their_field(self):
        self.authenticate(None, None)
        cases = [
            ({"name": "Bob <b>"}, "name", "Names may not contain < > { or }."),
            ({"company_name": "ACME {x}"}, "company_name", "Names may not contain < > { or }."),
            ({"email": "not an address"}, "email", "Enter a valid email address"),
            ({"phone": "1" * 40}, "phone", "A field is too long"),
            ({"name": "   "}, "name", "Enter your name."),
        ]
        for form, field, message in cases:
            with self.subTest(field=field, form=form):
                page = self._register(**form)
                self.assertEqual(page.status_code, 200)
                self.assert_field_error(page.text, field, message)
        self.assertFalse(
            self.env["service.portal.registration"].search([("email", "=", "someone@example.com")]),
            "a refused form records nothing",
        )

    def test_resend_link_error_names_its_field(self):
        self.authenticate(None, None)
        page = self._post("/portal/register/resend", email="nobody-at-all")
        self.assertEqual(page.status_code, 200)
        self.assert_field_error(page.text, "email", "Enter a valid email address")

    def test_choose_password_error_names_the_passwords(self):
        self.authenticate(None, None)
        self.assertIn("Check your inbox", self._register(email="pat@example.com").text)
        mail = self.env["mail.mail"].search(
            [
                "|",
                ("email_to", "ilike", "pat@example.com"),
                ("recipient_ids.email", "=ilike", "pat@example.com"),
            ],
            order="id desc",
            limit=1,
        )
        link = re.search(r'href="[^"]*(/web/signup\?[^"]*)"', mail.body_html).group(1)
        page = self.url_open(link.replace("&amp;", "&"))
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        page = self._post(
            "/web/signup", token=token, password="a-Strong-pass-9", confirm_password="other-9"
        )
        self.assert_field_error(
            page.text, ["password", "confirm_password"], "Passwords do not match"
        )
        registration = self.env["service.portal.registration"].search(
            [("email", "=", "pat@example.com")]
        )
        self.assertFalse(registration.user_id, "no account from a refused form")

    def test_order_and_equipment_forms_errors_name_their_field(self):
        """The visit change and equipment service forms answer with a redirect: the page
        it leads to marks the field once."""
        # the free preferred date is what the form asks when no technician offers windows
        # (the window picker's errors: test_arrival_portal)
        self.env["service.technician"].search([]).active = False
        self.login_as(self.manager_user)
        change_url = self.north_order.get_portal_url(suffix="/change")
        for date, message in (("soon", "Enter the preferred date"), ("2001-01-01T10:00", "future")):
            with self.subTest(date=date):
                page = self._post(change_url, change="reschedule", preferred_date=date)
                self.assertIn(f"/my/service-orders/{self.north_order.id}", page.url)
                self.assert_field_error(page.text, "preferred_date", message)
        self.assertFalse(self.north_order.customer_request, "nothing asked")
        page = self._post(
            f"/my/equipment/{self.north_equipment.id}/request-service", description="  "
        )
        self.assert_field_error(page.text, "description", "Describe the problem")
        # shown once: the page seen again is clean
        page = self.url_open(f"/my/equipment/{self.north_equipment.id}")
        self.assertNotIn('aria-invalid="true"', page.text)

    def test_pages_showing_errors_are_accessible(self):
        """axe (and reflow at 320 px) on the registration form and /my/account as they show
        an error; on /my/account Odoo's script shows it, ours ties it to the field."""
        self.assert_pages_accessible(
            None,
            [
                (
                    "/portal/register",
                    "#name[aria-invalid=true][aria-describedby=service_register_error]",
                    [
                        {"trigger": "input#name", "run": "edit Bob <b>"},
                        {"trigger": "input#email", "run": "edit bob@example.com"},
                        {
                            "trigger": "form.o_service_register button[type=submit]",
                            "run": "click",
                            "expectUnloadPage": True,
                        },
                    ],
                ),
            ],
        )
        user = self.manager_user
        user.password = user.login  # start_tour logs in with the login as password
        self.assert_pages_accessible(
            user.login,
            [
                (
                    "/my/account",
                    "#errors[role=alert] h5:contains(Names may not contain)",
                    [
                        {
                            "trigger": "form.address_autoformat input[name=name]",
                            "run": "edit W <W>",
                        },
                        {"trigger": "#save_address", "run": "click"},
                        {
                            "content": "The name is marked and tied to the messages",
                            "trigger": "input[name=name].is-invalid[aria-invalid=true][aria-describedby~=errors]",
                        },
                    ],
                ),
            ],
        )
        self.assertNotIn("<", user.partner_id.name, "the refused name is not saved")
