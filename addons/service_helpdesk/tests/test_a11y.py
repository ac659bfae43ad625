from odoo.addons.service_portal.tests.a11y import AxeTourMixin
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestHelpdeskAccessibility(AxeTourMixin, HelpdeskCommon, HttpCase):
    """WCAG 2.1 A/AA (axe-core) on the requests' pages and the public knowledge base, per
    persona, at 375 and 1280 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

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
        article = self.kb_boiler
        self.assertTrue(article.is_published)
        self.assert_pages_accessible(
            None,
            [
                ("/helpdesk", "main"),
                ("/helpdesk?search=boiler", ".o_helpdesk_result"),
                (article.website_url, ".o_helpdesk_solution"),
            ],
        )

    def test_keyboard_only_customer(self):
        """Without the mouse: file a request, approve an estimate, sign off an order by
        typing one's name (the typed alternative to the drawn signature)."""
        customer = self.manager_user
        customer.password = customer.login
        self.env.company.write(
            {"portal_confirmation_sign": False, "portal_confirmation_pay": False}
        )
        product = self.env["product.product"].create(
            {"name": "Radiator bleeding", "list_price": 90.0, "type": "service"}
        )
        action = self.north_ticket.action_new_estimate()
        estimate = (
            self.env["sale.order"]
            .with_context(**action["context"])
            .create({"order_line": [(0, 0, {"product_id": product.id})]})
        )
        estimate.action_quotation_sent()
        order = self.north_done_order
        self.assertFalse(order.signature)
        extra = {
            "estimateRequestUrl": f"/my/requests/{self.north_ticket.id}",
            "orderUrl": order.get_portal_url(),
        }
        with self._axe_browser([], [], extra):
            self.start_tour(
                "/my/requests/new", "service_helpdesk_keyboard_only", login=customer.login
            )
        ticket = self.env["service.ticket"].search(
            [("subject", "=", "Radiators cold on the first floor")]
        )
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.requester_id, customer.partner_id)
        self.assertEqual(ticket.type_id, self.type_maintenance)
        self.assertEqual(estimate.state, "sale")
        self.assertTrue(
            self.north_ticket.message_ids.filtered(lambda m: "Go ahead" in (m.body or ""))
        )
        self.assertTrue(order.signature)
        self.assertEqual(order.signed_by, "Wanda Winslow")

    def test_long_words_reflow(self):
        """A request's subject, a site's name or an article's title made of words longer
        than a phone is wide wraps at 320 px: the page does not scroll sideways."""
        word = "Kesselwartungsvertragsverlaengerungsbestaetigung" * 2
        self.north_ticket.subject = f"Heating {word}"
        self.site_north.name = f"North {word}"
        article = self.kb_boiler
        article.name = f"Boiler {word}"
        self.north_user.password = self.north_user.login
        self.assert_pages_accessible(
            self.north_user.login,
            [
                ("/my/requests", "main"),
                (f"/my/requests/{self.north_ticket.id}", "main"),
                (f"/my/requests/new?type_id={self.type_breakdown.id}", ".o_request_form_ready"),
                ("/helpdesk?search=boiler", ".o_helpdesk_result"),
                (article.website_url, ".o_helpdesk_solution"),
            ],
        )
