from urllib.parse import parse_qs, urlparse

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import HttpCase, JsonRpcException

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestWaitingAccount(HelpdeskCommon, HttpCase):
    """An account that registered itself and waits for the service company to link it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        registration = cls.env["service.portal.registration"]._portal_register(
            "Walter Waiting", "walter@example.com", company_name=cls.winslow.name
        )
        token = parse_qs(urlparse(registration._verification_url()).query)["token"][0]
        cls.env["res.users"].sudo().signup(
            {"login": "walter@example.com", "name": "Walter", "password": "walter-Pass-9"}, token
        )
        cls.registration = registration
        cls.user = registration.user_id

    def setUp(self):
        super().setUp()
        self.assertEqual(self.registration.state, "waiting")
        self.authenticate("walter@example.com", "walter-Pass-9")

    def test_request_form_and_its_post_answer_the_waiting_page(self):
        tickets = self.env["service.ticket"].search_count([])
        page = self.url_open("/my/requests/new", allow_redirects=False)
        self.assertEqual(page.status_code, 303)
        self.assertTrue(page.headers["Location"].endswith("/my"))
        posted = self.url_open(
            "/my/requests/new",
            data={
                "type_id": str(self.type_question.id),
                "subject": "Let me in",
                "description": "Please",
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )
        self.assertEqual(posted.status_code, 303)
        self.assertIn("Waiting for your service company", self.url_open("/my").text)
        self.assertEqual(self.env["service.ticket"].search_count([]), tickets)

    def test_no_request_through_json_rpc_nor_through_the_model(self):
        tickets = self.env["service.ticket"].search_count([])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/service.ticket/create",
                {
                    "model": "service.ticket",
                    "method": "create",
                    "args": [{"subject": "Let me in", "partner_id": self.user.partner_id.id}],
                    "kwargs": {},
                },
            )
        self.assertEqual(self.env["service.ticket"].search_count([]), tickets)
        # a route writing as superuser on the account's behalf is refused as well
        with self.assertRaisesRegex(AccessError, "waiting to be linked"):
            self.env["service.ticket"].with_user(self.user).sudo().create(
                {"subject": "Let me in", "partner_id": self.user.partner_id.id}
            )

    def test_record_rules_give_a_waiting_account_nothing(self):
        for model in (
            "service.order",
            "service.equipment",
            "service.document",
            "service.ticket",
            "service.ticket.answer",
            "sale.order",
            "account.move",
        ):
            with self.subTest(model=model):
                found = self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/search_read",
                    {
                        "model": model,
                        "method": "search_read",
                        "args": [[]],
                        "kwargs": {"fields": ["display_name"]},
                    },
                )
                self.assertEqual(found, [], model)

    def test_linked_account_files_requests_again(self):
        self.registration.action_link(self.site_north)
        self.assertFalse(self.user._service_portal_is_waiting())
        page = self.url_open("/my/requests/new")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_request_types", page.text)
