from datetime import timedelta

from odoo import fields, http
from odoo.addons.service_helpdesk.tests.common import HelpdeskCommon
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInputLayer(HelpdeskCommon, HttpCase):
    """Hostile values on the portal and public pages of the three addons: a clear page or
    message, never a 500, and nothing half-written (see service_portal/controllers/inputs)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        # Wanda owns her organisation's licences (as in the demo): she may add admins
        cls.manager_user.partner_id.service_admin_role = "owner"

    def login_as(self, user):
        self.authenticate(user.login, self.PASSWORDS[user.login])
        self.csrf = http.Request.csrf_token(self)

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": self.csrf}, allow_redirects=False)

    def test_nul_bytes_in_list_searches(self):
        self.login_as(self.manager_user)
        for url in (
            "/my/service-orders?search=%00x",
            "/my/service-orders?search=%00&search_in=description",
            "/my/equipment?search=%00",
            "/my/requests?search=%00",
            "/my/requests?search=a%00b&search_in=subject",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 200)

    def test_huge_page_and_id_numbers(self):
        self.login_as(self.manager_user)
        for url in (
            "/helpdesk/page/99999999999999999999999",
            "/helpdesk/page/99999999999999999999999?search=boiler",
            "/my/service-orders/page/99999999999999999999",
            "/my/requests/page/99999999999999999999",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 200)
        for url in (
            "/my/service-orders/99999999999999999999",
            "/my/equipment/99999999999999999999",
            "/my/requests/99999999999999999999",
            "/my/work/99999999999999999999",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404)

    def test_request_form_subject_with_nul_is_saved_without_it(self):
        self.login_as(self.manager_user)
        before = self.env["service.ticket"].search_count([])
        response = self._post(
            "/my/requests/new",
            {
                "type_id": str(self.type_question.id),
                "site_id": str(self.north.id),
                "subject": "Boiler\x00 noise\x07",
                "description": "It\x00 knocks",
            },
        )
        self.assertLess(response.status_code, 500)
        ticket = self.env["service.ticket"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["service.ticket"].search_count([]), before + 1)
        self.assertEqual(ticket.subject, "Boiler noise")

    def test_rating_feedback_with_nul(self):
        self.login_as(self.north_user)
        response = self._post(
            f"/my/requests/{self.completed_ticket.id}/rate",
            {"rate": "4", "feedback": "Good\x00 work"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn('id="request_rated"', self.url_open(response.headers["Location"]).text)
        rating = self.completed_ticket.sudo().rating_ids.filtered("consumed")[-1:]
        self.assertEqual(rating.feedback, "Good work")

    def test_admin_name_with_nul_and_of_100k_characters(self):
        self.login_as(self.manager_user)
        Partner = self.env["res.partner"].with_context(active_test=False)
        response = self._post("/my/admins/add", {"name": "Nina\x00 New", "email": "nina@x.example"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(Partner.search([("email", "=", "nina@x.example")]).name, "Nina New")
        before = Partner.search_count([])
        # 100,000 characters: refused by the input layer before the route (400)
        response = self._post("/my/admins/add", {"name": "x" * 100_000, "email": "long@x.example"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("too long", response.text)
        self.assertEqual(Partner.search_count([]), before)
        # 129: refused by the model, said on the admins page
        response = self._post("/my/admins/add", {"name": "x" * 129, "email": "long@x.example"})
        self.assertEqual(response.status_code, 303)
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="service_error"', page.text)
        self.assertIn("too long", page.text)
        self.assertEqual(Partner.search_count([]), before)

    def test_registration_name_and_email_with_nul(self):
        self.authenticate(None, None)
        self.csrf = http.Request.csrf_token(self)
        Registration = self.env["service.portal.registration"].sudo()
        before = Registration.search_count([])
        for data in (
            {"name": "Rita\x00 M.", "email": "rita.nul@winslow.example"},
            {"name": "Rita", "email": "rita\x00@winslow.example"},
            {"name": ["a", "b"], "email": "x@y.example"},
        ):
            with self.subTest(data=data):
                response = self._post("/portal/register", data)
                self.assertLess(response.status_code, 500)
        registrations = Registration.search(
            [], order="id desc", limit=Registration.search_count([]) - before
        )
        for registration in registrations:
            self.assertNotIn("\x00", registration.name + (registration.email or ""))

    def test_reschedule_in_year_9999_from_chicago(self):
        self.manager_user.tz = "America/Chicago"
        self.winslow.tz = "America/Chicago"  # the order's zone, which the form is read in
        self.login_as(self.manager_user)
        for date in (
            "9999-12-31T23:59",
            "9999-12-31T20:00",
            "10000-01-01T00:00",
            "2300-01-01T10:00",
        ):
            with self.subTest(date=date):
                response = self._post(
                    f"/my/service-orders/{self.north_order.id}/change",
                    {"change": "reschedule", "preferred_date": date, "reason": "x\x00y"},
                )
                self.assertEqual(response.status_code, 303)
                self.env.invalidate_all()
                self.assertFalse(self.north_order.customer_request)
        later = fields.Datetime.now() + timedelta(days=30)
        self._post(
            f"/my/service-orders/{self.north_order.id}/change",
            {
                "change": "reschedule",
                "preferred_date": later.strftime("%Y-%m-%dT%H:%M"),
                "reason": "away\x00",
            },
        )
        self.env.invalidate_all()
        self.assertEqual(self.north_order.customer_request, "reschedule")
        self.assertEqual(self.north_order.customer_request_note, "away")

    def test_sign_off_with_an_invalid_signature_or_a_list_stores_nothing(self):
        order = self.north_done_order
        self.assertFalse(order.signed_by)
        self.login_as(self.manager_user)
        url = f"/my/service-orders/{order.id}/sign"
        for params in (
            {"name": "Wanda", "signature": "not base64 at all"},
            {"name": "Wanda", "signature": "aGVsbG8="},
            {"name": ["Wanda", "Nick"], "signature": "aGVsbG8="},
            {"name": {"x": 1}, "signature": "aGVsbG8="},
            {"name": "Wanda", "signature": ["aGVsbG8="]},
        ):
            with self.subTest(params=params):
                response = self.url_open(
                    url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
                )
                self.assertEqual(response.status_code, 200)
                body = response.json()
                message = body.get("result", {}).get("error") or body.get("error", {}).get(
                    "data", {}
                ).get("message")
                self.assertTrue(message, body)
                self.env.invalidate_all()
                self.assertFalse(order.signed_by)
                self.assertFalse(order.signed_on)
                self.assertFalse(order.signature)
