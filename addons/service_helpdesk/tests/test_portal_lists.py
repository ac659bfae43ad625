from lxml import html

from odoo.addons.service_portal.tests.fit import FitTourMixin
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestRequestLists(HelpdeskCommon, PortalHttpMixin, FitTourMixin, HttpCase):
    """The requests list keeps its columns, counts are worded for their number, and the
    support pages fit a phone and a laptop."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.siteless = cls.env["service.ticket"].create(
            {
                "subject": "Invoice address to change",
                "partner_id": cls.winslow.id,
                "type_id": cls.type_question.id,
            }
        )

    def test_request_without_a_site_keeps_its_columns(self):
        self._login("manager")
        page = html.fromstring(self.url_open("/my/requests?filterby=all").text)
        headers = page.xpath("//table[.//tr[contains(@class, 'o_request_row')]]/thead/tr/th")
        rows = page.xpath("//tr[contains(@class, 'o_request_row')]")
        self.assertIn(self.siteless.name, [row.xpath("string(td[1])").strip() for row in rows])
        for row in rows:
            cells = row.xpath("td")
            self.assertEqual(len(cells), len(headers), html.tostring(row))
        (siteless_row,) = [row for row in rows if self.siteless.name in row.text_content()]
        self.assertEqual(siteless_row.xpath("string(td[3])").strip(), "")

    def test_site_counts_say_one_request(self):
        for ticket in self.env["service.ticket"].search(
            [("site_id", "=", self.site_south.id), ("state", "=", "open")]
        ):
            ticket.state = "completed"
        self.env["service.ticket"].create(
            {
                "subject": "Door sticks",
                "partner_id": self.winslow.id,
                "site_id": self.site_south.id,
                "type_id": self.type_breakdown.id,
            }
        )
        self._login("manager")
        page = html.fromstring(self.url_open("/my/sites").text)
        (row,) = page.xpath(f"//tr[.//a[@href='/my/sites/{self.site_south.id}']]")
        counts = " ".join(
            row.xpath("string(.//*[contains(@class, 'o_service_site_counts')])").split()
        )
        self.assertIn("1 open request", counts)
        self.assertNotRegex(counts, r"\b1 \w+ ?requests\b")

    def test_knowledge_base_counts_one_article(self):
        self.env["service.kb.article"].create(
            [
                {
                    "name": f"Quokka alarm {index}",
                    "is_published": True,
                    "problem": "<p>The quokka alarm beeps.</p>",
                }
                for index in range(2)
            ]
        )
        self.authenticate(None, None)

        def result_count(search):
            page = html.fromstring(self.url_open(f"/helpdesk?search={search}").text)
            count = page.xpath("string(//*[contains(@class, 'o_helpdesk_result_count')])")
            return " ".join(count.split())

        self.assertEqual(result_count("quokka 1"), "1 article for “quokka 1”")
        self.assertEqual(result_count("quokka"), "2 articles for “quokka”")

    def test_support_pages_fit_phone_and_laptop(self):
        self.manager_user.password = self.manager_user.login
        self.assert_pages_fit(
            self.manager_user.login,
            [
                ("/my/requests?filterby=all", "main .o_request_row"),
                ("/my/requests?filterby=all&groupby=site", "main .o_request_row"),
                (f"/my/requests/{self.north_ticket.id}", "main"),
                ("/my/requests/new", "main"),
                (f"/my/sites/{self.site_north.id}?tab=requests", "main"),
                ("/helpdesk?search=boiler", "main"),
            ],
        )
