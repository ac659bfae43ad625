from odoo import sql_db
from odoo.addons.service_portal.tests.common import setup_arrival_windows
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalQueryCount(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _hot_query_count(self, url):
        for __ in range(3):  # warm the caches
            self.url_open(url)
        before = sql_db.sql_counter
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return sql_db.sql_counter - before

    def test_request_list_queries_do_not_grow_with_rows(self):
        self._login("manager")
        for url in ("/my/requests?filterby=all", "/my/requests?filterby=all&groupby=site"):
            with self.subTest(url=url):
                few = self._hot_query_count(url)
                self.env["service.ticket"].create(
                    [
                        {
                            "subject": f"Extra {index}",
                            "partner_id": self.winslow.id,
                            "site_id": (self.site_north if index % 2 else self.site_south).id,
                            "type_id": self.type_breakdown.id,
                            "priority": str(index % 3),
                        }
                        for index in range(15)
                    ]
                )
                many = self._hot_query_count(url)
                self.assertEqual(few, many)

    def _assert_within_budgets(self, budgets, contains=None, lacks=None):
        for who in ("manager", "north"):
            self._login(who)
            for url, budget in budgets.items():
                with self.subTest(who=who, url=url):
                    self.assertLessEqual(self._hot_query_count(url), budget)
                    text = self.url_open(url).text
                    if contains:
                        self.assertIn(contains, text)
                    if lacks:
                        self.assertNotIn(lacks, text)

    def test_journey_pages_stay_within_their_query_budgets(self):
        """The customer journey's pages, hot (caches warm, as in a worker after its first
        requests), as a contact of the whole customer and as a site contact. The record
        rules' ``child_of`` costs no query per level of the contact tree (parent_path): a
        page that needs more than its budget has a new query to explain. For comparison,
        Odoo's /my/orders takes 12 and /my/invoices 13-14 here (19-20 on the demo data)."""
        self._assert_within_budgets(
            {
                "/my": 27,
                "/my/sites": 17,
                f"/my/sites/{self.site_north.id}": 19,
                "/my/service-orders": 14,
                f"/my/service-orders/{self.north_order.id}": 28,
                "/my/equipment": 13,
                f"/my/equipment/{self.north_equipment.id}": 21,
                "/my/requests": 15,
                f"/my/requests/{self.north_ticket.id}": 27,
                "/helpdesk": 12,
            }
        )

    def test_pages_offering_arrival_windows_stay_within_their_query_budgets(self):
        """With a technician and arrival windows (as on the demo data), a site's, an
        order's and an equipment's page offer the free windows, computed when the customer
        opens the form (the slot's URL): the pages cost what they cost without windows; the
        windows' templates, the technicians with their calendars and leaves, their busy
        visits and the windows already held cost about 10 queries more, on the slot's URL."""
        setup_arrival_windows(self.env)
        self._assert_within_budgets(
            {
                f"/my/sites/{self.site_north.id}": 19,
                f"/my/service-orders/{self.north_order.id}": 28,
                f"/my/equipment/{self.north_equipment.id}": 21,
            },
            contains='class="o_service_arrival_offer"',
            lacks='name="windows"',
        )
        self._assert_within_budgets(
            {
                f"/my/sites/{self.site_north.id}/arrival-windows": 22,
                f"/my/service-orders/{self.north_order.id}/arrival-windows": 22,
                f"/my/equipment/{self.north_equipment.id}/arrival-windows": 22,
            },
            contains='name="windows"',
        )
