import base64
import json

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import PNG_BYTES, HelpdeskCommon, PortalHttpMixin

PNG_B64 = base64.b64encode(PNG_BYTES).decode()


@tagged("post_install", "-at_install")
class TestPortalEstimates(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.product = cls.env["product.product"].create(
            {"name": "Boiler repair visit", "list_price": 180.0, "type": "service"}
        )

    def _estimate(self, ticket=None, sent=True):
        ticket = ticket or self.north_ticket
        action = ticket.action_new_estimate()
        order = (
            self.env["sale.order"]
            .with_context(**action["context"])
            .create({"order_line": [(0, 0, {"product_id": self.product.id})]})
        )
        self.assertEqual(order.service_ticket_id, ticket)
        self.assertEqual(order.partner_id, ticket.partner_id)
        self.assertEqual(order.partner_shipping_id, ticket.site_id)
        if sent:
            order.require_signature = False
            order.require_payment = False
            order.action_quotation_sent()
        return order

    def _decide(self, order, decision, ticket=None, **data):
        ticket = ticket or order.service_ticket_id
        return self._post(f"/my/requests/{ticket.id}/estimates/{order.id}/{decision}", data)

    def test_customer_approves_from_the_request(self):
        agent = self.env["res.users"].create(
            {
                "name": "Agent Estimator",
                "login": "agent.estimator@example.com",
                "email": "agent.estimator@example.com",
                "group_ids": [(4, self.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        self.north_ticket.user_id = agent
        order = self._estimate()
        self.assertEqual(self.north_ticket.estimate_count, 1)
        self._login("north")
        page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        self.assertIn(order.name, page)
        self.assertIn("Awaiting your approval", page)
        response = self._decide(order, "approve", comment="Go ahead")
        self._assert_outcome(response, key="estimate_approved")
        self.assertEqual(order.state, "sale")
        last = self.north_ticket.message_ids.filtered(lambda m: "Go ahead" in (m.body or ""))
        self.assertEqual(last.author_id, self.north_user.partner_id)
        # the agent handling the request is told
        self.assertIn(agent.partner_id, last.notification_ids.res_partner_id)
        again = self._decide(order, "decline")
        self._assert_outcome(again, error="This estimate can no longer be approved or declined.")
        self.assertEqual(order.state, "sale")

    def test_customer_declines(self):
        order = self._estimate()
        self._login("manager")
        response = self._decide(order, "decline", comment="<b>Too expensive</b>")
        self._assert_outcome(response, key="estimate_declined")
        self.assertEqual(order.state, "cancel")

    def test_drafts_stay_internal(self):
        draft = self._estimate(sent=False)
        self._login("north")
        self.assertNotIn(draft.name, self.url_open(f"/my/requests/{self.north_ticket.id}").text)
        self.assertEqual(self._decide(draft, "approve").status_code, 404)
        self.assertEqual(draft.state, "draft")

    def test_signature_required_goes_to_the_quote_page(self):
        order = self._estimate()
        order.require_signature = True
        self._login("north")
        response = self._decide(order, "approve")
        self._assert_outcome(
            response, error="This estimate must be signed or paid: open it to approve it."
        )
        self.assertEqual(order.state, "sent")

    def test_other_customer_and_other_request_get_404(self):
        order = self._estimate()
        self._login("parkway")
        self.assertEqual(self._decide(order, "approve").status_code, 404)
        # an estimate of one request cannot be decided through another readable request
        self.assertEqual(
            self._decide(order, "approve", ticket=self.parkway_ticket).status_code, 404
        )
        self._login("north")
        self.assertEqual(
            self._post(f"/my/requests/{self.north_ticket.id}/estimates/{order.id}/pay").status_code,
            404,
        )
        self.assertEqual(order.state, "sent")

    # ------------------------------------------------------------------
    # One approval path: Odoo's signature and payment rules
    # ------------------------------------------------------------------

    def _signature_props(self, page):
        """The props of Odoo's signature form on a page (its call URL and default signer)."""
        tree = html.fromstring(page)
        (component,) = tree.xpath("//owl-component[@name='portal.signature_form']")
        return json.loads(component.get("props"))

    def test_estimate_card_shows_the_lines_and_signs_through_odoos_accept_route(self):
        order = self._estimate()
        sensor = self.env["product.product"].create({"name": "Pressure sensor", "type": "consu"})
        order.write(
            {
                "order_line": [(0, 0, {"product_id": sensor.id, "product_uom_qty": 2})],
                "require_signature": True,
            }
        )
        order.order_line[-1].price_unit = 45.0
        self._login("north")
        page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        lines = html.fromstring(page).xpath("//table[hasclass('o_estimate_lines')]")
        self.assertEqual(len(lines), 1)
        text = lines[0].text_content()
        for part in ("Boiler repair visit", "Pressure sensor", "90.00", "Total"):
            self.assertIn(part, text)
        self.assertNotIn("o_estimate_approve", page, "no approval that skips the signature")
        props = self._signature_props(page)
        self.assertIn(f"/my/orders/{order.id}/accept", props["callUrl"])
        self.assertEqual(props["defaultName"], "Nick Northcott", "the person signs")
        # what the signature form sends: Odoo's own route signs and confirms the quote
        result = self.make_jsonrpc_request(
            props["callUrl"], {"name": props["defaultName"], "signature": PNG_B64}
        )
        self.assertIn("redirect_url", result, result)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Nick Northcott")
        page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        self.assertIn("Approved", page)
        self.assertNotIn("portal.signature_form", page)

    def test_estimate_signed_on_the_request_in_the_browser(self):
        order = self._estimate()
        order.require_signature = True
        self.north_user.password = "north"
        self._service_tour(
            f"/my/requests/{self.north_ticket.id}",
            "service_helpdesk_sign_estimate",
            self.north_user,
            "desktop",
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Nick Northcott")

    def test_odoos_quote_page_asks_the_person_to_sign(self):
        order = self._estimate()
        order.require_signature = True
        self._login("north")
        page = self.url_open(order.get_portal_url()).text
        self.assertEqual(self._signature_props(page)["defaultName"], "Nick Northcott")
        self.assertNotIn("o_estimate_on_request", page)

    def test_odoos_quote_page_leads_to_the_request_when_no_signature_is_needed(self):
        order = self._estimate()
        self._login("north")
        page = self.url_open(order.get_portal_url()).text
        self.assertIn(f'href="/my/requests/{self.north_ticket.id}#request_estimates"', page)
        request_page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        self.assertIn("o_estimate_approve", request_page)
        self.assertNotIn("portal.signature_form", request_page)

    def test_sent_estimate_has_its_token_before_the_request_page_opens(self):
        order = self._estimate()
        self.assertTrue(order.access_token)
