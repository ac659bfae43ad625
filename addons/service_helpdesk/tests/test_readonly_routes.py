from unittest.mock import patch

from odoo.addons.service_portal.tests.readonly_routes import ReadonlyRoutesMixin
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestHelpdeskReadonlyRoutes(ReadonlyRoutesMixin, HelpdeskCommon, HttpCase):
    ADDON = "service_helpdesk"
    READ_WRITE_ROUTES = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.article = cls.kb_boiler
        cls.article_slug = cls.article.website_url.rsplit("/", 1)[1]

    def _visits(self):
        north = (self.north_user.login, self.PASSWORDS[self.north_user.login])
        manager = (self.manager_user.login, self.PASSWORDS[self.manager_user.login])
        visitor = (None, None)
        return {
            "/helpdesk": [(*visitor, {}, None), (*north, {}, None)],
            "/helpdesk/page/<int:page>": [(*visitor, {"page": 1}, None)],
            "/helpdesk/<string:slug>": [
                (*visitor, {"slug": self.article_slug}, None),
                (*north, {"slug": self.article_slug}, None),
            ],
            "/helpdesk/suggest": [
                (*visitor, {}, {"text": "boiler pressure"}),
                (*north, {}, {"text": "boiler pressure"}),
            ],
            "/my/requests": [(*north, {}, None), (*manager, {}, None)],
            "/my/requests/page/<int:page>": [(*manager, {"page": 1}, None)],
            "/my/requests/<int:ticket_id>": [
                (*north, {"ticket_id": self.north_ticket.id}, None),
                (*manager, {"ticket_id": self.completed_ticket.id}, None),
            ],
            "/my/requests/new": [(*north, {}, None)],
            "/my/requests/new/windows/<int:type_id>": [
                (*north, {"type_id": self.type_breakdown.id}, None),
                (*manager, {"type_id": self.type_breakdown.id}, None),
            ],
        }

    def test_the_article_counter_is_off_the_read_path(self):
        """Opening the article counts nothing; the page's own call (read/write) does."""
        views = self.article.view_count
        self._visit("/helpdesk/<string:slug>", None, None, {"slug": self.article_slug}, None)
        self.article.invalidate_recordset()
        self.assertEqual(self.article.view_count, views)
        self.make_jsonrpc_request(f"{self.article.website_url}/seen", {})
        self.article.invalidate_recordset()
        self.assertEqual(self.article.view_count, views + 1)

    def test_a_write_on_a_readonly_route_is_caught(self):
        """The check sees a write: a suggestion that counts something fails it."""
        Article = type(self.env["service.kb.article"])
        original = Article._kb_suggest

        def counting_suggest(records, text, *args, **kwargs):
            records.search([], limit=1).sudo()._kb_increment("view_count")
            return original(records, text, *args, **kwargs)

        with (
            patch.object(Article, "_kb_suggest", counting_suggest),
            self.assertRaisesRegex(AssertionError, "wrote on its read-only cursor"),
        ):
            self._visit("/helpdesk/suggest", None, None, {}, {"text": "boiler"})
