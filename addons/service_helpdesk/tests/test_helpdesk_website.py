from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestHelpdeskWebsite(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.public_article = cls.kb_boiler
        cls.portal_article = cls.kb_alarm
        cls.draft_article = cls.kb_draft

    def test_index_shows_search_categories_and_most_viewed(self):
        self.authenticate(None, None)
        response = self.url_open("/helpdesk")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="search"', response.text)
        self.assertIn("Heating and cooling", response.text)
        self.assertIn(self.public_article.name, response.text)
        self.assertNotIn(self.portal_article.name, response.text)
        self.assertNotIn(self.draft_article.name, response.text)

    def test_search_page_ranks_and_highlights(self):
        self.authenticate(None, None)
        response = self.url_open("/helpdesk?search=boiler+pressure")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.public_article.name, response.text)
        self.assertIn("<mark>", response.text)

    def test_visitor_cannot_see_portal_only_or_draft_articles(self):
        self.authenticate(None, None)
        self.assertNotIn(
            self.portal_article.name, self.url_open("/helpdesk?search=alarm+panel").text
        )
        self.assertEqual(self.url_open(self.portal_article.website_url).status_code, 404)
        self.assertEqual(self.url_open(self.draft_article.website_url).status_code, 404)
        self.assertEqual(self.url_open("/helpdesk/not-an-article").status_code, 404)

    def test_sitemap_lists_the_articles_visitors_may_read(self):
        self.authenticate(None, None)
        response = self.url_open("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{self.public_article.website_url}</loc>", response.text)
        self.assertNotIn(f"{self.portal_article.website_url}</loc>", response.text)
        self.assertNotIn(f"{self.draft_article.website_url}</loc>", response.text)

    def test_portal_contact_reads_portal_articles(self):
        self._login("north")
        response = self.url_open(self.portal_article.website_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("master code", response.text)
        self.assertIn(self.portal_article.name, self.url_open("/helpdesk?search=alarm").text)
        self.assertEqual(self.url_open(self.draft_article.website_url).status_code, 404)

    def test_article_page_counts_views_and_votes_once(self):
        self.authenticate(None, None)
        views = self.public_article.view_count
        response = self.url_open(self.public_article.website_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("filling loop", response.text)
        # the page is read-only: its script counts the view
        self.public_article.invalidate_recordset()
        self.assertEqual(self.public_article.view_count, views)
        seen_url = f"{self.public_article.website_url}/seen"
        self.assertIn(f'data-seen-url="{seen_url}"', response.text)
        self.assertEqual(self.make_jsonrpc_request(seen_url, {}), {"counted": True})
        self.public_article.invalidate_recordset()
        self.assertEqual(self.public_article.view_count, views + 1)
        self.assertEqual(self.make_jsonrpc_request("/helpdesk/not-an-article/seen", {}), {})
        url = f"{self.public_article.website_url}/vote"
        response = self._post(url, {"helpful": "1"})
        self.assertEqual(response.status_code, 303)
        self.assertIn("voted=1", response.headers["Location"])
        self._post(url, {"helpful": "1"})
        self.public_article.invalidate_recordset()
        self.assertEqual(self.public_article.helpful_count, 1)
        self.assertEqual(self._post(url, {"helpful": "maybe"}).status_code, 404)
        portal_vote = f"{self.portal_article.website_url}/vote"
        self.assertEqual(self._post(portal_vote, {"helpful": "1"}).status_code, 404)

    def test_bad_parameters_never_fail(self):
        self.authenticate(None, None)
        for query in (
            "category=abc",
            "category=999999",
            "search=%27%22%3Cscript%3E&category=-1",
            "search=" + "x" * 500,
            "search=a",
        ):
            with self.subTest(query=query):
                response = self.url_open(f"/helpdesk?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("<script>", response.text.split("</header>")[-1])
        self.assertEqual(self.url_open("/helpdesk/page/3?search=boiler").status_code, 200)

    def test_operator_can_hide_the_help_desk(self):
        if "service.portal.settings" not in self.env:
            self.skipTest("service_portal has no portal settings yet")
        self.authenticate(None, None)
        self.assertIn('href="/helpdesk"', self.url_open("/").text)
        self.env["ir.config_parameter"].sudo().set_param("service_portal.hide_helpdesk", "1")
        self.assertNotIn('href="/helpdesk"', self.url_open("/").text)
        self.assertEqual(self.url_open("/helpdesk").status_code, 404)
        self.assertEqual(self.url_open(self.public_article.website_url).status_code, 404)
        self._login("north")
        self.assertNotIn("o_request_kb_search", self.url_open("/my/requests/new").text)
