from odoo.tests import HttpCase, tagged

from odoo.addons.service_portal.tests.a11y import AxeTourMixin

from .common import HelpdeskDemoMixin


@tagged("post_install", "-at_install")
class TestHelpdeskAccessibility(AxeTourMixin, HelpdeskDemoMixin, HttpCase):
    """WCAG 2.1 A/AA (axe-core) on the requests' pages and the public knowledge base, per
    persona, at 375 and 1280 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_demo()

    def _request_pages(self, user, ticket):
        user.password = user.login  # start_tour logs in with the login as password
        return [
            ("/my/requests", "main"),
            (f"/my/requests/{ticket.id}", "main"),
            ("/my/requests/new", ".o_request_types"),
            (f"/my/requests/new?type_id={self.type_breakdown.id}", ".o_request_form_ready"),
        ]

    def test_company_contact_pages(self):
        pages = self._request_pages(self.manager_user, self.north_ticket)
        pages.append((f"/my/requests/{self.completed_ticket.id}", "main"))
        self.assert_pages_accessible(self.manager_user.login, pages)

    def test_site_contact_pages(self):
        pages = self._request_pages(self.north_user, self.north_ticket)
        self.assert_pages_accessible(self.north_user.login, pages)

    def test_other_customer_pages(self):
        pages = self._request_pages(self.parkway_user, self.parkway_ticket)
        self.assert_pages_accessible(self.parkway_user.login, pages)

    def test_visitor_knowledge_base(self):
        article = self.env.ref("service_helpdesk.kb_article_boiler_pressure")
        self.assertTrue(article.is_published)
        self.assert_pages_accessible(
            None,
            [
                ("/helpdesk", "main"),
                ("/helpdesk?search=boiler", ".o_helpdesk_result"),
                (article.website_url, ".o_helpdesk_solution"),
            ],
        )
