from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalAccessAcrossCustomers(ServicePortalHttpCase):
    """Every /my route, opened with another customer's (or another site's) ids: a 404 or a
    redirect to /my, and never a byte of the record."""

    def _foreign_get_urls(self):
        return {
            f"/my/sites/{self.north.id}": "North Campus",
            f"/my/sites/{self.north.id}?tab=equipment": "Library boiler",
            f"/my/sites/{self.north.id}?tab=documents": "Boiler safety certificate",
            f"/my/service-orders/{self.north_order.id}": "Half-yearly maintenance",
            f"/my/service-orders/{self.north_done_order.id}?report_type=html": "pressure sensor",
            f"/my/service-orders/{self.north_done_order.id}?report_type=pdf&download=1": (
                "pressure sensor"
            ),
            f"/my/equipment/{self.north_equipment.id}": "VHX-2019-0042",
            f"/my/documents/{self.north_document.id}/download": "%PDF",
        }

    def assert_refused(self, response, secret):
        self.assertIn(response.status_code, (303, 302, 403, 404), response.url)
        if response.status_code in (302, 303):
            self.assertTrue(
                response.headers["Location"].endswith("/my"), response.headers["Location"]
            )
        self.assertNotIn(secret, response.text)

    def test_other_customer_gets_nothing_on_any_route(self):
        self.login_as(self.parkway_user)
        for url, secret in self._foreign_get_urls().items():
            with self.subTest(url=url):
                self.assert_refused(self.url_open(url, allow_redirects=False), secret)

    def test_site_contact_gets_nothing_of_the_other_site(self):
        self.login_as(self.north_user)
        south_urls = {
            f"/my/sites/{self.south.id}": "South Campus",
            f"/my/service-orders/{self.south_order.id}": "second loading-bay door",
            f"/my/equipment/{self.south_equipment.id}": "RM3-77810",
            f"/my/documents/{self.south_document.id}/download": "Door manual",
        }
        for url, secret in south_urls.items():
            with self.subTest(url=url):
                self.assert_refused(self.url_open(url, allow_redirects=False), secret)

    def test_other_customer_lists_show_none_of_the_first(self):
        self.login_as(self.parkway_user)
        for url in (
            "/my",
            "/my/sites",
            "/my/service-orders?filterby=all",
            "/my/equipment",
            "/my/documents",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                for secret in (
                    "North Campus",
                    "Library boiler",
                    self.north_order.name,
                    "Boiler safety",
                ):
                    self.assertNotIn(secret, response.text)

    def test_other_customer_cannot_post_on_the_first_customers_records(self):
        self.login_as(self.parkway_user)
        csrf = self.csrf_token_for_session()
        change = self.url_open(
            f"/my/service-orders/{self.north_order.id}/change",
            data={"change": "cancel", "reason": "not mine", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assert_refused(change, "Half-yearly")
        request_service = self.url_open(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            data={"description": "sabotage", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(request_service.status_code, 404)
        sign = self.make_jsonrpc_request(
            f"/my/service-orders/{self.north_done_order.id}/sign",
            {"name": "Intruder", "signature": "aGVsbG8="},
        )
        self.assertIn("error", sign)
        self.env.invalidate_all()
        self.assertFalse(self.north_order.customer_request)
        self.assertFalse(self.north_done_order.signature)
        self.assertFalse(self.env["service.order"].search([("description", "ilike", "sabotage")]))

    def test_access_token_opens_one_order_and_a_wrong_token_nothing(self):
        token = self.north_order._portal_ensure_token()
        self.authenticate(None, None)
        ok = self.url_open(f"/my/service-orders/{self.north_order.id}?access_token={token}")
        self.assertEqual(ok.status_code, 200)
        self.assertIn("Half-yearly maintenance", ok.text)
        wrong = self.url_open(
            f"/my/service-orders/{self.north_order.id}?access_token=not-the-token",
            allow_redirects=False,
        )
        self.assert_refused(wrong, "Half-yearly maintenance")
        other = self.url_open(
            f"/my/service-orders/{self.south_order.id}?access_token={token}", allow_redirects=False
        )
        self.assert_refused(other, "second loading-bay door")

    def test_unpublished_document_never_downloads(self):
        self.login_as(self.manager_user)
        response = self.url_open(f"/my/documents/{self.unpublished_document.id}/download")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Internal only", response.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        self.authenticate(None, None)
        for url in ("/my/sites", "/my/service-orders", "/my/equipment", "/my/documents"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_hidden_sections_are_gone(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("service_portal.hide_documents", "True")
        params.set_param("service_portal.hide_equipment", "True")
        self.login_as(self.manager_user)
        self.assertEqual(self.url_open("/my/documents").status_code, 404)
        self.assertEqual(self.url_open(f"/my/equipment/{self.north_equipment.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/documents/{self.north_document.id}/download").status_code, 404
        )
        site_page = self.url_open(f"/my/sites/{self.north.id}")
        self.assertNotIn("tab=documents", site_page.text)
        self.assertNotIn("tab=equipment", site_page.text)
