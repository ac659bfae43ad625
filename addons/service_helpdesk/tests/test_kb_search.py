from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from .common import HelpdeskDemoMixin


@tagged("post_install", "-at_install")
class TestKbSearch(HelpdeskDemoMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_demo()
        Article = cls.env["service.kb.article"]
        cls.Article = Article
        cls.title_hit = Article.create(
            {
                "name": "Compressor overheating alarm",
                "problem": "<p>The unit beeps.</p>",
                "solution": "<p>Clean the filter.</p>",
                "is_published": True,
            }
        )
        cls.body_hit = Article.create(
            {
                "name": "Rooftop unit beeps",
                "problem": "<p>The compressor stops and the display blinks.</p>",
                "solution": "<p>Call us &amp; wait <b>five</b> minutes.</p>",
                "is_published": True,
            }
        )
        cls.draft = Article.create({"name": "Compressor draft notes", "is_published": False})
        cls.portal_only = Article.create(
            {"name": "Compressor access codes", "is_published": True, "visibility": "portal"}
        )
        cls.public_user = cls.env.ref("base.public_user")

    def _search(self, text, user=None):
        Article = self.Article.with_user(user) if user else self.Article
        return Article._kb_search(text)

    def test_title_matches_come_first(self):
        articles, total, snippets = self._search("compressor")
        self.assertEqual(articles[:2], self.title_hit | self.portal_only)
        self.assertIn(self.body_hit, articles)
        self.assertEqual(total, 3)
        self.assertNotIn(self.draft, articles)
        self.assertIn("<mark>compressor</mark>", snippets[self.body_hit.id])

    def test_stemming_and_prefix(self):
        self.assertIn(self.title_hit, self._search("alarms")[0])
        self.assertIn(self.title_hit, self._search("compress")[0])
        self.assertIn(self.body_hit, self._search("blinking display")[0])

    def test_snippets_are_escaped(self):
        self.body_hit.solution = "<p>compressor &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        __, __, snippets = self._search("compressor")
        snippet = str(snippets[self.body_hit.id])
        self.assertNotIn("<script>", snippet)
        self.assertIn("&lt;script&gt;", snippet)

    def test_visitors_do_not_find_portal_only_articles(self):
        articles = self._search("compressor", self.public_user)[0]
        self.assertNotIn(self.portal_only, articles)
        self.assertIn(self.title_hit, articles)
        self.assertIn(self.portal_only, self._search("compressor", self.north_user)[0])

    def test_short_terms_and_stop_words(self):
        tv = self.Article.create({"name": "TV wall mount", "is_published": True})
        self.assertIn(tv, self._search("tv")[0])
        # only stop words: fall back to titles containing the text
        a = self.Article.create({"name": "Plan A for outages", "is_published": True})
        articles, total, __ = self._search("a")
        self.assertIn(a, articles)
        self.assertTrue(total >= 1)
        self.assertEqual(self._search("")[1], 0)
        self.assertEqual(self._search("!!! ???")[1], 0)

    def test_query_syntax_is_neutralised(self):
        for text in ("compressor & | ! :*", "'compressor'", "compressor)(", "\\x00"):
            with self.subTest(text=text):
                self._search(text)

    def test_search_vector_follows_edits(self):
        self.body_hit.name = "Zebra crossing lights"
        self.assertIn(self.body_hit, self._search("zebra")[0])

    def test_many_matches_are_capped_but_titles_stay_first(self):
        module = "odoo.addons.service_helpdesk.models.service_kb_article"
        with patch(f"{module}.KB_COUNT_CAP", 1), patch(f"{module}.KB_CANDIDATES", 1):
            articles, total, __ = self._search("compressor")
        # "more than one": the count stops at the cap
        self.assertEqual(total, 2)
        self.assertTrue(articles)
        self.assertIn(articles[0], self.title_hit | self.portal_only)
