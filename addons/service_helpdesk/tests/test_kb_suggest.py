from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestKbSuggestions(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.boiler_article = cls.kb_boiler
        cls.portal_article = cls.kb_alarm
        cls.draft_article = cls.kb_draft
        Article = cls.env["service.kb.article"]
        cls.many = Article.create(
            [
                {
                    "name": f"Gizmotron fault {number}",
                    "problem": "<p>The gizmotron stops.</p>",
                    "is_published": True,
                }
                for number in range(8)
            ]
        )
        cls.body_only = Article.create(
            {
                "name": "Odd noises",
                "problem": "<p>A gizmotron whistles at night.</p>",
                "is_published": True,
            }
        )

    def _suggest(self, text):
        return self.make_jsonrpc_request("/helpdesk/suggest", {"text": text})["articles"]

    def _names(self, text):
        return [article["name"] for article in self._suggest(text)]

    def test_ranks_title_matches_first_and_limits_to_five(self):
        self._login("north")
        articles = self._suggest("gizmotron")
        self.assertEqual(len(articles), 5)
        self.assertTrue(all(name.startswith("Gizmotron fault") for name in self._names("gizmo")))
        self.assertNotIn("Odd noises", [article["name"] for article in articles])
        self.assertEqual(set(articles[0]), {"id", "name", "url"})
        self.assertTrue(articles[0]["url"].startswith("/helpdesk/"))

    def test_any_word_of_subject_and_description_matches(self):
        self._login("north")
        names = self._names("Cold radiators: the boiler pressure gauge reads 0.5 bar, since Monday")
        self.assertEqual(names[0], self.boiler_article.name)
        self.assertLessEqual(len(names), 5)

    def test_visitors_never_get_portal_only_or_draft_articles(self):
        self.authenticate(None, None)
        names = self._names("alarm panel code")
        self.assertNotIn(self.portal_article.name, names)
        self.assertNotIn(self.draft_article.name, self._names("chiller maintenance schedule"))
        self._login("parkway")
        self.assertIn(self.portal_article.name, self._names("alarm panel code"))
        self.assertNotIn(self.draft_article.name, self._names("chiller maintenance schedule"))

    def test_never_returns_another_customers_anything(self):
        # the suggestions come from the knowledge base only: requests, equipment and
        # other records of other customers never show, whatever the text
        self._login("parkway")
        for text in (self.north_ticket.subject, self.north_ticket.name, "Library boiler"):
            with self.subTest(text=text):
                for article in self._suggest(text):
                    self.assertNotIn(self.north_ticket.subject, article["name"])
                    self.assertNotIn(self.north_ticket.name, article["name"])
                    self.assertTrue(article["url"].startswith("/helpdesk/"))
                    record = self.env["service.kb.article"].browse(article["id"])
                    self.assertTrue(record.is_published)

    def test_bad_input_gets_no_suggestion_and_no_error(self):
        self._login("north")
        for text in (None, "", "  ", "a", 42, "!!! :* & |", "\x00boiler"):
            with self.subTest(text=text):
                articles = self._suggest(text)
                self.assertIsInstance(articles, list)
                self.assertLessEqual(len(articles), 5)
        self.assertEqual(self._suggest(None), [])
        # a list or an object where the text goes: the input layer's clear 400, never a 500
        for text in (["boiler"], {"x": 1}):
            with self.subTest(text=text), self.assertRaisesRegex(JsonRpcException, "BadRequest"):
                self._suggest(text)
        self.assertLessEqual(len(self._suggest("boiler " * 5000)), 5)
        response = self.url_open(
            "/helpdesk/suggest",
            data="not json",
            headers={"Content-Type": "application/json"},
        )
        self.assertNotEqual(response.status_code, 500)

    def test_hidden_help_desk_suggests_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param("service_portal.hide_helpdesk", "1")
        self._login("north")
        self.assertEqual(self._suggest("boiler pressure"), [])
        html = self.url_open(f"/my/requests/new?type_id={self.type_question.id}").text
        self.assertNotIn("o_request_suggestions", html)

    def test_form_has_the_suggestion_box(self):
        self._login("north")
        html = self.url_open(f"/my/requests/new?type_id={self.type_question.id}").text
        self.assertIn("o_request_suggestions", html)


@tagged("post_install", "-at_install")
class TestKbDeflection(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.article = cls.kb_boiler
        cls.other = cls.kb_thermostat

    def _open(self, article, suggested=True):
        url = f"{article.website_url}?suggested=1" if suggested else article.website_url
        self.assertEqual(self.url_open(url).status_code, 200)
        # what the page's script sends (the page itself is read-only)
        seen = self.make_jsonrpc_request(f"{article.website_url}/seen", {"suggested": suggested})
        self.assertEqual(seen, {"counted": True})

    def _counts(self, article):
        article.invalidate_recordset()
        return article.suggestion_open_count, article.deflection_count

    def _submit(self):
        return self._post(
            "/my/requests/new",
            {
                "type_id": self.type_question.id,
                "subject": "Still cold",
                "description": "The filling loop did not help.",
            },
        )

    def test_open_without_request_counts_as_deflected(self):
        self._login("north")
        self._open(self.article)
        self._open(self.article)  # once per session
        self._open(self.other, suggested=False)  # not from a suggestion
        self.assertEqual(self._counts(self.article), (1, 1))
        self.assertEqual(self._counts(self.other), (0, 0))

    def test_request_sent_after_opening_is_not_a_deflection(self):
        self._login("north")
        self._open(self.article)
        self._open(self.other)
        self.assertEqual(self._submit().status_code, 303)
        self.assertEqual(self._counts(self.article), (1, 0))
        self.assertEqual(self._counts(self.other), (1, 0))
        # a later open in the same session counts again, and a later request takes it back
        self._open(self.article)
        self.assertEqual(self._counts(self.article), (2, 1))
        self.assertEqual(self._submit().status_code, 303)
        self.assertEqual(self._counts(self.article), (2, 0))

    def test_refused_request_keeps_the_deflection_pending(self):
        self._login("north")
        self._open(self.article)
        response = self._post(
            "/my/requests/new", {"type_id": self.type_question.id, "subject": "", "x": "1"}
        )
        self._assert_outcome(response, error="Please give your request a subject.")
        self.assertEqual(self._counts(self.article), (1, 1))

    def test_visitors_are_not_counted(self):
        self.authenticate(None, None)
        self._open(self.article)
        self.assertEqual(self._counts(self.article), (0, 0))

    def test_staff_see_the_counters_on_the_article_form(self):
        arch = self.env["service.kb.article"].get_view(view_type="form")["arch"]
        self.assertIn("suggestion_open_count", arch)
        self.assertIn("deflection_count", arch)
