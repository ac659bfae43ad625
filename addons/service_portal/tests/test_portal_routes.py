from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalPages(ServicePortalHttpCase):
    def assert_page(self, url, *expected, absent=()):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        for text in expected:
            self.assertIn(text, response.text, f"{text!r} missing from {url}")
        for text in absent:
            self.assertNotIn(text, response.text, f"{text!r} leaked on {url}")
        return response

    def _home_counters(self):
        """The counts the portal home asks for (/my/counters), as the logged-in user."""
        return self.make_jsonrpc_request(
            "/my/counters",
            {
                "counters": [
                    "site_count",
                    "service_order_count",
                    "equipment_count",
                    "service_document_count",
                ]
            },
        )

    def test_home_shows_cards_and_dashboard(self):
        self.login_as(self.manager_user)
        self.assert_page(
            "/my", "Job Sites", "Service Orders", "Upcoming visits", self.north_order.name
        )
        counters = self._home_counters()
        self.assertEqual(counters["site_count"], 2)
        self.assertEqual(counters["equipment_count"], 2)
        self.assertEqual(counters["service_document_count"], 2)
        # the boiler visit, the install at South Campus, and the demo's visit today
        self.assertEqual(counters["service_order_count"], 3)

    def test_site_contact_counters_are_its_site_only(self):
        self.login_as(self.north_user)
        counters = self._home_counters()
        self.assertEqual(
            counters,
            {
                "site_count": 1,
                "service_order_count": 2,  # the boiler visit and the visit today
                "equipment_count": 1,
                "service_document_count": 1,
            },
        )

    def test_sites_list_with_open_activities(self):
        self.login_as(self.manager_user)
        self.assert_page("/my/sites", "North Campus", "South Campus", absent=["Downtown Theatre"])
        self.login_as(self.north_user)
        self.assert_page("/my/sites", "North Campus", absent=["South Campus", "Downtown Theatre"])

    def test_site_page_tabs(self):
        self.login_as(self.manager_user)
        url = f"/my/sites/{self.north.id}"  # the first tab depends on the installed addons
        self.assert_page(
            f"{url}?tab=service", self.north_order.name, absent=[self.south_order.name]
        )
        self.assert_page(url, "North Campus", absent=[self.south_order.name])
        self.assert_page(f"{url}?tab=install", absent=[self.north_order.name])
        self.assert_page(f"/my/sites/{self.south.id}?tab=install", self.south_order.name)
        self.assert_page(f"{url}?tab=equipment", "Library boiler", absent=["Loading-bay door"])
        self.assert_page(
            f"{url}?tab=documents", "Boiler safety certificate", absent=["Internal pricing notes"]
        )
        self.assert_page(f"{url}?tab=nonsense", "North Campus", absent=[self.south_order.name])

    def test_service_orders_filters_search_and_grouping(self):
        self.login_as(self.manager_user)
        self.assert_page("/my/service-orders", self.north_order.name, self.south_order.name)
        self.assert_page(
            "/my/service-orders?filterby=completed",
            self.north_done_order.name,
            absent=[self.north_order.name],
        )
        self.assert_page(
            "/my/service-orders?filterby=open&groupby=site", "North Campus", "South Campus"
        )
        self.assert_page(
            f"/my/service-orders?filterby=all&search={self.south_order.name}",
            self.south_order.name,
            absent=[self.north_order.name],
        )
        self.assert_page("/my/service-orders?filterby=all&sortby=state", self.north_done_order.name)

    def test_service_order_page(self):
        self.login_as(self.manager_user)
        self.assert_page(
            f"/my/service-orders/{self.north_order.id}",
            "Marc Fixwell",
            "Half-yearly maintenance",
            "Change this visit",
            "Scheduled",
        )
        done = self.assert_page(
            f"/my/service-orders/{self.north_done_order.id}", "Replaced the pressure sensor"
        )
        self.assertIn("Sign-off", done.text)
        report = self.url_open(f"/my/service-orders/{self.north_done_order.id}?report_type=html")
        self.assertEqual(report.status_code, 200)
        self.assertIn("Service Report", report.text)

    def test_internal_notes_never_reach_the_portal(self):
        self.north_order.internal_note = "<p>Customer is a slow payer</p>"
        self.login_as(self.manager_user)
        self.assert_page(f"/my/service-orders/{self.north_order.id}", absent=["slow payer"])

    def test_equipment_pages(self):
        self.login_as(self.north_user)
        self.assert_page(
            "/my/equipment", "Library boiler", absent=["Loading-bay door", "Screen 2 projector"]
        )
        self.assert_page(
            f"/my/equipment/{self.north_equipment.id}",
            "VHX-2019-0042",
            self.north_done_order.name,
            "Boiler safety certificate",
            "Request service",
            absent=["Internal pricing notes"],
        )
        self.assert_page("/my/equipment?search=VHX", "Library boiler")

    def test_documents_page_and_download(self):
        self.login_as(self.manager_user)
        self.assert_page(
            "/my/documents",
            "Boiler safety certificate",
            "Loading-bay door manual",
            absent=["Internal pricing notes", "Projection booth"],
        )
        response = self.url_open(f"/my/documents/{self.north_document.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
