from odoo.tests import HttpCase, new_test_user, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestHelpdeskTour(HelpdeskCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

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
        """Each persona in the browser in turn: (a) a customer files a typed request with a
        file and sees a suggested article; (b) the agent replies and sends an estimate from
        the request, the customer approves it; (c) the agent completes the request, copies it
        to the knowledge base and publishes it, the customer rates the request; (d) a visitor
        finds the article."""
        customer = self.manager_user
        customer.password = customer.login
        agent = self.env.ref("base.user_admin")
        # the operator's choice: estimates are approved on the request, without signing
        self.env.company.write(
            {"portal_confirmation_sign": False, "portal_confirmation_pay": False}
        )
        self.env["product.product"].create(
            {"name": "Expansion vessel", "list_price": 240.0, "type": "service"}
        )
        self.start_tour(
            "/my/requests/new", "service_helpdesk_file_with_suggestion", login=customer.login
        )
        ticket = self.env["service.ticket"].search([("subject", "=", "Boiler pressure drops")])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.type_id, self.type_maintenance)
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.equipment_id, self.north_equipment)
        self.assertEqual(ticket.requester_id, customer.partner_id)
        self.assertIn("Ask for the caretaker at the gate.", ticket.answer_ids.mapped("value"))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "service.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "gauge.txt")
        self.assertEqual(attachment.raw, b"Gauge at 0.6 bar on Monday")

        # (b) the agent answers and sends an estimate, the customer approves it
        ticket_url = f"/odoo/action-service_helpdesk.service_ticket_action/{ticket.id}"
        self.start_tour(ticket_url, "service_helpdesk_agent_answers_with_estimate", login="admin")
        reply = ticket.message_ids.filtered(lambda m: "expansion vessel." in (m.body or ""))
        self.assertEqual(reply.author_id, agent.partner_id)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertTrue(ticket.first_response_date)
        order = ticket.estimate_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.partner_id, self.winslow)
        self.assertEqual(order.partner_shipping_id, self.site_north)
        self.assertEqual(order.order_line.product_id.name, "Expansion vessel")
        self.start_tour(
            f"/my/requests/{ticket.id}", "service_helpdesk_approve_estimate", login=customer.login
        )
        self.assertEqual(order.state, "sale")

        # (c) resolved, copied to the knowledge base and published by the agent; rated
        self.start_tour(ticket_url, "service_helpdesk_agent_publishes_solution", login="admin")
        self.assertEqual(ticket.state, "completed")
        self.assertIn("Refilled to 1.5 bar", ticket.solution)
        article = ticket.kb_article_ids
        self.assertEqual(len(article), 1)
        self.assertTrue(article.is_published)
        self.assertEqual(article.name, "Boiler pressure drops")
        self.assertIn("Refilled to 1.5 bar", article.solution)
        self.start_tour(
            f"/my/requests/{ticket.id}", "service_helpdesk_rate_request", login=customer.login
        )
        rating = ticket.completion_rating_id
        self.assertEqual(rating.rating, 4)
        self.assertEqual(rating.feedback, "Quick and clear, thank you.")
        self.assertEqual(rating.partner_id, customer.partner_id)

        # (d) a visitor finds it
        self.start_tour("/helpdesk", "service_helpdesk_visitor_finds_article")
        article.invalidate_recordset()
        self.assertEqual(article.view_count, 1)


@tagged("post_install", "-at_install")
class TestHelpdeskAgentTour(HelpdeskCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.agent = new_test_user(
            cls.env, login="tour_helpdesk_agent", groups="service_helpdesk.group_helpdesk_agent"
        )

    def test_agent_answers_a_request_and_copies_it_to_the_knowledge_base(self):
        ticket = self.south_ticket
        self.assertFalse(ticket.kb_article_ids)
        self.start_tour(
            "/odoo/action-service_helpdesk.service_ticket_action",
            "service_helpdesk_agent_answers_and_copies",
            login=self.agent.login,
        )
        reply = ticket.message_ids.filtered(
            lambda m: "A technician comes on Tuesday" in (m.body or "")
        )
        self.assertEqual(reply.author_id, self.agent.partner_id)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(ticket.state, "completed")
        article = ticket.kb_article_ids
        self.assertEqual(len(article), 1)
        self.assertFalse(article.is_published)
        self.assertEqual(article.name, ticket.subject)
        self.assertIn("Re-tensioned the door spring", article.solution)
