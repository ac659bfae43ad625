from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalBadInput(ServicePortalHttpCase):
    def setUp(self):
        super().setUp()
        self.login_as(self.manager_user)
        self.csrf = self.csrf_token_for_session()

    def test_unknown_ids_and_wrong_types_are_404_or_redirect(self):
        for url in (
            "/my/sites/999999",
            "/my/sites/abc",
            "/my/service-orders/999999",
            "/my/service-orders/-1",
            "/my/equipment/999999",
            "/my/equipment/1.5",
            "/my/documents/999999/download",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 404), url)

    def test_odd_query_parameters_fall_back_to_defaults(self):
        for url in (
            "/my/service-orders?filterby=drop_table&sortby=1;DELETE&groupby=x&search_in=password",
            "/my/service-orders/page/99999",
            "/my/service-orders?search=" + "x" * 5000,
            "/my/sites/page/424242",
            "/my/equipment/page/0?search=%27%22%3Cscript%3E",
            "/my/documents/page/77777",
            f"/my/sites/{self.north.id}?tab=<script>",
            f"/my/service-orders/{self.north_order.id}?report_type=exe",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertNotIn(
                    "<script>", response.text.split("</head>", 1)[-1].replace("<script>\n", "")
                )

    def test_request_service_without_description_saves_nothing(self):
        before = self.env["service.order"].search_count([])
        response = self.url_open(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            data={"description": "   ", "csrf_token": self.csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Describe the problem", response.text)
        self.assertEqual(self.env["service.order"].search_count([]), before)

    def test_request_service_with_an_over_long_description_saves_nothing(self):
        before = self.env["service.order"].search_count([])
        response = self.url_open(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            data={"description": "x" * 6000, "csrf_token": self.csrf},
        )
        self.assertIn("too long", response.text)
        self.assertEqual(self.env["service.order"].search_count([]), before)

    def test_script_in_a_request_is_stored_as_text_and_never_runs(self):
        response = self.url_open(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            data={"description": "<script>alert(1)</script> leaking", "csrf_token": self.csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<script>alert(1)</script>", response.text)
        order = self.env["service.order"].search([("description", "ilike", "leaking")])
        self.assertEqual(len(order), 1)
        self.assertNotIn("<script>", order.description)

    def test_reschedule_with_a_bad_date_is_refused_clearly(self):
        for bad_date in ("", "yesterday", "2001-01-01T10:00", "2026-13-45T99:99"):
            with self.subTest(date=bad_date):
                response = self.url_open(
                    f"/my/service-orders/{self.north_order.id}/change",
                    data={
                        "change": "reschedule",
                        "preferred_date": bad_date,
                        "csrf_token": self.csrf,
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn('id="service_error"', response.text)
                self.env.invalidate_all()
                self.assertFalse(self.north_order.customer_request)

    def test_unknown_change_kind_is_refused(self):
        response = self.url_open(
            f"/my/service-orders/{self.north_order.id}/change",
            data={"change": "teleport", "csrf_token": self.csrf},
        )
        self.assertIn("Choose whether to reschedule or to cancel", response.text)

    def test_post_without_csrf_token_is_refused(self):
        response = self.url_open(
            f"/my/service-orders/{self.north_order.id}/change", data={"change": "cancel"}
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(self.north_order.customer_request)

    def test_signing_twice_or_an_open_order_is_refused(self):
        open_order = self.make_jsonrpc_request(
            f"/my/service-orders/{self.north_order.id}/sign",
            {"name": "Wanda", "signature": "aGVsbG8="},
        )
        self.assertIn("not waiting for a signature", open_order["error"])
        no_name = self.make_jsonrpc_request(
            f"/my/service-orders/{self.north_done_order.id}/sign",
            {"name": " ", "signature": "aGVsbG8="},
        )
        self.assertIn("Type your name", no_name["error"])
        self.env.invalidate_all()
        self.assertFalse(self.north_done_order.signature)
