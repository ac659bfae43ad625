from odoo.tests import HttpCase, tagged

from .common import HelpdeskDemoMixin


@tagged("post_install", "-at_install")
class TestHelpdeskTour(HelpdeskDemoMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_demo()

    def test_site_contact_files_and_closes_a_request_in_the_browser(self):
        # start_tour logs in with the login as password
        self.north_user.password = self.north_user.login
        self.start_tour("/my", "service_helpdesk_new_request", login=self.north_user.login)
        ticket = self.env["service.ticket"].search(
            [("subject", "=", "Boiler leaks in the basement")]
        )
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.state, "completed")
        self.assertEqual(ticket.requester_id, self.north_user.partner_id)
        self.assertEqual(ticket.answer_ids.mapped("value"), ["2026-11-20", "No", "Heating"])
        message = ticket.message_ids.filtered(lambda m: "front desk" in (m.body or ""))
        self.assertEqual(message.author_id, self.north_user.partner_id)

    def test_agent_handles_a_request_in_the_backend(self):
        self.start_tour(
            "/odoo/action-service_helpdesk.service_ticket_action",
            "service_helpdesk_backend",
            login="admin",
        )
        self.assertEqual(self.north_ticket.user_id, self.env.ref("base.user_admin"))

    def test_request_from_suggestion_to_estimate_to_knowledge_base(self):
        """(a) a customer files a typed request with a file and sees a suggested article;
        (b) the agent replies and proposes an estimate, the customer approves it from the
        request; (c) the agent publishes the resolved request to the knowledge base and a
        visitor finds it."""
        customer = self.manager_user
        customer.password = customer.login
        self.start_tour(
            "/my/requests/new", "service_helpdesk_file_with_suggestion", login=customer.login
        )
        ticket = self.env["service.ticket"].search([("subject", "=", "Boiler pressure drops")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.type_id, self.env.ref("service_helpdesk.ticket_type_maintenance"))
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.equipment_id, self.env.ref("service_portal.equipment_north_boiler"))
        self.assertEqual(ticket.requester_id, customer.partner_id)
        self.assertIn("Ask for the caretaker at the gate.", ticket.answer_ids.mapped("value"))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "service.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "gauge.txt")
        self.assertEqual(attachment.raw, b"Gauge at 0.6 bar on Monday")

        # (b) the agent answers and proposes an estimate
        agent = self.env.ref("base.user_admin")
        ticket.with_user(agent).message_post(
            body="We will refill and check the expansion vessel.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        product = self.env["product.product"].create(
            {"name": "Expansion vessel", "list_price": 240.0, "type": "service"}
        )
        action = ticket.with_user(agent).action_new_estimate()
        order = (
            self.env["sale.order"]
            .with_user(agent)
            .with_context(**action["context"])
            .create({"order_line": [(0, 0, {"product_id": product.id})]})
        )
        order.write({"require_signature": False, "require_payment": False})
        order.action_quotation_sent()
        self.start_tour(
            f"/my/requests/{ticket.id}", "service_helpdesk_approve_estimate", login=customer.login
        )
        self.assertEqual(order.state, "sale")

        # (c) resolved, copied to the knowledge base and published by the agent
        ticket.with_user(agent).write(
            {"solution": "<p>Refilled to 1.5 bar and replaced the expansion vessel.</p>"}
        )
        ticket.with_user(agent).action_complete()
        action = ticket.with_user(agent).action_copy_to_kb()
        article = self.env["service.kb.article"].browse(action["res_id"])
        article.with_user(agent).is_published = True
        self.start_tour("/helpdesk", "service_helpdesk_visitor_finds_article")
        article.invalidate_recordset()
        self.assertEqual(article.view_count, 1)
