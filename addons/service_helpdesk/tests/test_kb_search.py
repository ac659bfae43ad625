from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestKbSearch(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
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

    def test_prefix_is_searched_as_the_words_having_it(self):
        # GIN matches a prefix much slower than words: the lexeme list expands it
        [(operand, tsquery)] = self.Article._kb_query_operands(["compress"])
        self.assertEqual(operand, "compress:*")
        self.assertIn("'compressor'", tsquery)
        self.assertNotIn(":*", tsquery)
        module = "odoo.addons.service_helpdesk.const"
        with patch(f"{module}.KB_PREFIX_WORDS", 0):
            # too many words have it: the prefix itself
            self.assertEqual(
                self.Article._kb_query_operands(["compress"]), [("compress:*", "'compress':*")]
            )
            self.assertIn(self.title_hit, self._search("compress")[0])

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
        module = "odoo.addons.service_helpdesk.const"
        with patch(f"{module}.KB_COUNT_CAP", 1), patch(f"{module}.KB_CANDIDATES", 1):
            articles, total, __ = self._search("compressor")
        # "more than one": the count stops at the cap
        self.assertEqual(total, 2)
        self.assertTrue(articles)
        self.assertIn(articles[0], self.title_hit | self.portal_only)


@tagged("post_install", "-at_install")
class TestKbQuestions(TransactionCase):
    """Questions typed as people ask them: not every word is in an article, some are
    misspelt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["service.kb.article"]
        cls.Article = Article

        def article(name, problem, solution=""):
            return Article.create(
                {
                    "name": name,
                    "problem": f"<p>{problem}</p>",
                    "solution": f"<p>{solution}</p>",
                    "is_published": True,
                }
            )

        cls.cold_radiator = article(
            "Radiator stays cold",
            "One radiator stays cold while the others heat up.",
            "Bleed the radiator with its key.",
        )
        cls.radiator_valve = article("Radiator valve replacement", "The valve drips.")
        cls.library = article("Library opening hours", "When the library is staffed.")
        cls.lift = article(
            "Lift out of service",
            "The lift stops at a floor and the doors stay shut.",
            "Press the alarm button in the cabin; do not force the doors.",
        )
        cls.stuck_handle = article("Stuck door handle", "The handle does not turn.")
        cls.public_user = cls.env.ref("base.public_user")

    def _search(self, text, **kwargs):
        return self.Article.with_user(self.public_user)._kb_search(text, **kwargs)

    def test_question_without_every_word_ranks_the_most_words_first(self):
        articles, total, snippets = self._search("radiator cold in the library")
        # no article has radiator, cold and library: the one with two of them first
        self.assertEqual(articles[0], self.cold_radiator)
        self.assertIn(self.radiator_valve, articles)
        self.assertIn(self.library, articles)
        self.assertGreaterEqual(total, 3)
        self.assertIn("<mark>", snippets[self.cold_radiator.id])

        articles = self._search("lift stuck between floors")[0]
        self.assertEqual(articles[0], self.lift)
        self.assertIn(self.stuck_handle, articles)

    def test_articles_with_every_word_come_alone(self):
        articles = self._search("radiator cold")[0]
        self.assertEqual(articles[0], self.cold_radiator)
        self.assertNotIn(self.radiator_valve, articles)
        self.assertNotIn(self.library, articles)

    def test_typos_are_forgiven(self):
        for question, expected in [
            ("radiater cold in libary", self.cold_radiator),
            ("radiater", self.cold_radiator),
            ("lift stuck betwen flors", self.lift),
            ("libary", self.library),
            ("libary openng hours", self.library),
        ]:
            with self.subTest(question=question):
                self.assertEqual(self._search(question)[0][:1], expected)

    def test_only_unknown_words_are_corrected(self):
        code = self.Article.create({"name": "Error E4711 on the keypad", "is_published": True})
        self.assertEqual(self._search("e4711")[0][:1], code)
        words = self.Article._kb_query_words
        self.assertEqual(words(["libary", "hours"]), ["library", "hours:*"])
        # known words (stemmed: "drips" is in an article as "drip"), codes and short words
        # stay as typed; stop words go
        self.assertEqual(words(["valve", "dripping"]), ["valve", "dripping:*"])
        self.assertEqual(words(["rad", "the", "e4712"]), ["rad", "e4712:*"])

    def test_word_list_follows_new_articles(self):
        gizmo = self.Article.create({"name": "Gizmotron calibration", "is_published": True})
        self.assertEqual(self._search("gizmotorn calibraton")[0][:1], gizmo)

    def test_titles_similar_to_unknown_words(self):
        mount = self.Article.create({"name": "Wallmount bracket", "is_published": True})
        # neither word is in an article nor close enough to one, the title is
        self.assertEqual(self._search("wall mount")[0][:1], mount)

    def test_suggestions_rank_by_words_matched(self):
        articles = self._search("cold radiator in the library", any_word=True)[0]
        self.assertEqual(articles[0], self.cold_radiator)
        self.assertIn(self.library, articles)

    def test_nothing_shared_finds_nothing(self):
        self.assertEqual(self._search("xyzzy plugh")[1], 0)


@tagged("post_install", "-at_install")
class TestKbPages(TransactionCase):
    """The ranking across pages: each article once, the levels of words in order, title
    matches ranked before the articles having the words in their text only, even when the
    title matches fill the page and the others are not read; record rules and categories
    applied to every level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["service.kb.article"]
        cls.Article = Article
        cls.heating = cls.env["service.kb.category"].create({"name": "Heating"})

        def article(name, problem="", **values):
            return Article.create(
                {"name": name, "problem": f"<p>{problem}</p>", "is_published": True, **values}
            )

        cls.titles = [article(f"Chiller fault {n}", "The unit stops.") for n in range(3)]
        cls.bodies = [article(f"Odd noise {n}", "The chiller hums.") for n in range(3)]
        cls.both = article("Chiller and pump noise", "The pump rattles.")
        cls.pump = article("Pump seal", "The pump leaks.", category_id=cls.heating.id)
        cls.hidden = article("Chiller pump for members", visibility="portal")
        cls.draft = Article.create({"name": "Chiller pump draft", "is_published": False})
        cls.public_user = cls.env.ref("base.public_user")

    def _pages(self, text, size, **kwargs):
        Article = self.Article.with_user(self.public_user)
        found, totals = self.Article, set()
        for page in range(10):
            articles, total, __ = Article._kb_search(text, limit=size, offset=page * size, **kwargs)
            found += articles
            totals.add(total)
            if len(articles) < size:
                break
        return found, totals

    def test_title_matches_fill_the_first_pages_and_the_rest_follow(self):
        chillers = [*self.titles, self.both]
        for size in (1, 2, 3, 20):
            with self.subTest(size=size):
                found, totals = self._pages("chiller", size)
                self.assertEqual(len(found), len(set(found.ids)), "each article once")
                self.assertEqual(set(found[:4]), set(chillers), "title matches first")
                self.assertEqual(set(found[4:]), set(self.bodies))
                self.assertEqual(totals, {7})
                self.assertNotIn(self.hidden, found)
                self.assertNotIn(self.draft, found)

    def test_levels_of_words_in_order_on_every_page(self):
        for size in (1, 2, 20):
            with self.subTest(size=size):
                found, __ = self._pages("chiller pump noise", size, any_word=True)
                self.assertEqual(len(found), len(set(found.ids)))
                # three words, then two (title "Odd noise" and text "chiller"), then one
                self.assertEqual(found[0], self.both)
                self.assertEqual(set(found[1:4]), set(self.bodies))
                self.assertEqual(set(found[4:]), {*self.titles, self.pump})
                self.assertNotIn(self.hidden, found)

    def test_every_word_comes_alone_with_its_own_total(self):
        articles, total, snippets = self.Article.with_user(self.public_user)._kb_search(
            "chiller pump"
        )
        self.assertEqual(articles, self.both)
        self.assertEqual(total, 1)
        self.assertIn("<mark>pump</mark>", snippets[self.both.id])

    def test_category_applies_to_every_level(self):
        Article = self.Article.with_user(self.public_user)
        articles, total, __ = Article._kb_search("chiller pump", category=self.heating)
        self.assertEqual((articles, total), (self.pump, 1))

    def test_suggestions_read_no_snippet(self):
        articles, __, snippets = self.Article._kb_search("chiller", any_word=True, snippets=False)
        self.assertTrue(articles)
        self.assertEqual(snippets, {})

    def test_word_list_index_takes_new_words_at_once(self):
        # a pending list (GIN's fastupdate) would hide the index from the planner
        options = self.env.execute_query(
            SQL("SELECT reloptions FROM pg_class WHERE relname = 'service_kb_word_trgm_idx'")
        )[0][0]
        self.assertIn("fastupdate=off", options)
