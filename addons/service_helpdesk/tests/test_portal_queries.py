from odoo import sql_db
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

    def test_journey_pages_stay_within_their_query_budgets(self):
        """The customer journey's pages, hot (caches warm, as in a worker after its first
        requests), as a contact of the whole customer and as a site contact. The record
        rules' ``child_of`` costs no query per level of the contact tree (parent_path): a
        page that needs more than its budget has a new query to explain. For comparison,
        Odoo's /my/orders takes 12 and /my/invoices 19-20 here. The budgets are the counts
        on a database with the demo data, whose technicians make the site, order and
        equipment pages offer arrival windows (without them, these pages take 10 fewer)."""
        order = self.north_order
        equipment = self.north_equipment
        budgets = {
            "/my": 27,
            "/my/sites": 17,
            f"/my/sites/{self.site_north.id}": 29,
            "/my/service-orders": 14,
            f"/my/service-orders/{order.id}": 38,
            "/my/equipment": 13,
            f"/my/equipment/{equipment.id}": 31,
            "/my/requests": 15,
            f"/my/requests/{self.north_ticket.id}": 27,
            "/helpdesk": 12,
        }
        for who in ("manager", "north"):
            self._login(who)
            for url, budget in budgets.items():
                with self.subTest(who=who, url=url):
                    self.assertLessEqual(self._hot_query_count(url), budget)
