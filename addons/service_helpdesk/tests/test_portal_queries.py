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
