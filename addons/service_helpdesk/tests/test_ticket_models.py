from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketModels(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_choice_question_needs_choices(self):
        with self.assertRaises(ValidationError):
            self.env["service.ticket.question"].create(
                {"type_id": self.type_breakdown.id, "name": "Colour?", "kind": "choice"}
            )
        question = self.env["service.ticket.question"].create(
            {
                "type_id": self.type_breakdown.id,
                "name": "Colour?",
                "kind": "choice",
                "choices": "Red\n\n  Blue  \n",
            }
        )
        self.assertEqual(question._choice_list(), ["Red", "Blue"])

    def test_type_routes_to_its_team_and_requester_follows(self):
        ticket = self.env["service.ticket"].create(
            {
                "subject": "Cold",
                "partner_id": self.winslow.id,
                "site_id": self.site_north.id,
                "type_id": self.type_breakdown.id,
                "requester_id": self.north_user.partner_id.id,
            }
        )
        self.assertTrue(ticket.name.startswith("REQ/"))
        self.assertEqual(ticket.team_id, self.type_breakdown.team_id)
        self.assertIn(self.north_user.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.access_url, f"/my/requests/{ticket.id}")

    def test_close_date_follows_the_state(self):
        ticket = self.north_ticket
        ticket.action_complete()
        self.assertTrue(ticket.close_date)
        ticket.action_reopen()
        self.assertFalse(ticket.close_date)
        self.assertEqual(ticket.state, "open")

    def test_requester_must_belong_to_the_customer(self):
        with self.assertRaises(ValidationError):
            self.north_ticket.requester_id = self.parkway_user.partner_id

    def test_portal_reads_answers_of_its_requests_only(self):
        answers = self.env["service.ticket.answer"].with_user(self.north_user).search([])
        self.assertTrue(answers)
        self.assertEqual(answers.ticket_id, self.north_ticket)
        self.assertFalse(self.env["service.ticket.answer"].with_user(self.parkway_user).search([]))

    def test_portal_can_post_on_readable_request_only(self):
        self.north_ticket.with_user(self.north_user).message_post(
            body="Still cold", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertIn("Still cold", self.north_ticket.message_ids[0].body)
        with self.assertRaises(AccessError):
            self.north_ticket.with_user(self.parkway_user).message_post(
                body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def test_staff_reply_is_emailed_to_the_requester(self):
        agent = self.env["res.users"].create(
            {
                "name": "Agent Smith",
                "login": "agent.smith@example.com",
                "email": "agent.smith@example.com",
                "group_ids": [(4, self.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        ticket = self.env["service.ticket"].create(
            {
                "subject": "Cold",
                "partner_id": self.winslow.id,
                "site_id": self.site_north.id,
                "requester_id": self.north_user.partner_id.id,
            }
        )
        message = ticket.with_user(agent).message_post(
            body="We come tomorrow at 9.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        notified = message.notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertIn(self.north_user.partner_id, notified.res_partner_id)

    def test_response_target(self):
        self.type_breakdown.response_hours = 4
        agent = self.env["res.users"].create(
            {
                "name": "Agent Jones",
                "login": "agent.jones@example.com",
                "group_ids": [(4, self.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        ticket = self.env["service.ticket"].create(
            {
                "subject": "No hot water",
                "partner_id": self.winslow.id,
                "site_id": self.site_north.id,
                "type_id": self.type_breakdown.id,
            }
        )
        # 4 working hours of the company's schedule (see TestResponseTargetInWorkingHours)
        self.assertEqual(
            ticket.response_deadline, ticket._response_deadline_from(ticket.create_date)
        )
        self.assertGreaterEqual(
            (ticket.response_deadline - ticket.create_date).total_seconds(), 4 * 3600
        )
        Ticket = self.env["service.ticket"]
        self.assertNotIn(ticket, Ticket.search([("response_overdue", "=", True)]))
        ticket.response_deadline = "2020-01-01 00:00:00"
        self.assertTrue(ticket.response_overdue)
        self.assertIn(ticket, Ticket.search([("response_overdue", "=", True)]))
        self.assertNotIn(ticket, Ticket.search([("response_overdue", "=", False)]))
        # neither a note nor the customer's message is an answer
        ticket.with_user(agent).message_post(body="note", subtype_xmlid="mail.mt_note")
        ticket.with_user(self.north_user).message_post(
            body="any news?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(agent).message_post(
            body="On our way", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(ticket.first_response_date)
        self.assertFalse(ticket.response_overdue)
        self.assertIn(ticket, Ticket.search([("response_overdue", "=", False)]))

    def test_open_count_by_site_respects_the_scope(self):
        sites = self.site_north | self.site_south
        counts = (
            self.env["service.ticket"].with_user(self.north_user)._portal_open_count_by_site(sites)
        )
        self.assertEqual(counts, {self.site_north: 1})
        counts = (
            self.env["service.ticket"]
            .with_user(self.manager_user)
            ._portal_open_count_by_site(sites)
        )
        self.assertEqual(counts, {self.site_north: 1, self.site_south: 1})

    def test_copy_to_knowledge_base(self):
        with self.assertRaises(UserError):
            self.north_ticket.action_copy_to_kb()
        ticket = self.completed_ticket
        action = ticket.action_copy_to_kb()
        article = self.env["service.kb.article"].browse(action["res_id"])
        self.assertEqual(article.name, ticket.subject)
        self.assertEqual(article.problem, ticket.description)
        self.assertEqual(article.solution, ticket.solution)
        self.assertEqual(article.ticket_id, ticket)
        self.assertFalse(article.is_published)
        self.assertEqual(ticket.kb_article_count, 1)


@tagged("post_install", "-at_install")
class TestMailGateway(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_mail_domain("helpdesk-test.example")
        cls.team = cls.env["service.ticket.team"].create(
            {"name": "Gateway", "alias_name": "helpdesk-gateway-test"}
        )
        cls.alias_email = cls.team.alias_id.display_name

    def _email(self, sender, subject, msg_id, extra=""):
        return (
            f"From: {sender}\r\nTo: {self.alias_email}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{msg_id}@example.com>\r\n{extra}"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nThe lift is stuck on floor 2.\r\n"
        )

    def test_email_from_site_contact_creates_a_scoped_request(self):
        self.env["mail.thread"].message_process(
            None, self._email(f"Nick Northcott <{self.north_user.email}>", "Lift stuck", "m1")
        )
        ticket = self.env["service.ticket"].search([("subject", "=", "Lift stuck")])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.name.startswith("REQ/"))
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.winslow)
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.requester_id, self.north_user.partner_id)
        self.assertTrue(ticket.with_user(self.north_user).has_access("read"))
        self.assertIn(self.north_user.partner_id, ticket.message_partner_ids)

    def test_email_from_unknown_sender_creates_its_own_contact(self):
        self.env["mail.thread"].message_process(
            None, self._email("stranger@nowhere.example", "Hello", "m2")
        )
        ticket = self.env["service.ticket"].search([("subject", "=", "Hello")])
        self.assertEqual(ticket.requester_id.email, "stranger@nowhere.example")
        self.assertEqual(ticket.partner_id, ticket.requester_id)
        self.assertFalse(ticket.with_user(self.north_user).has_access("read"))

    def test_customer_reply_reopens_a_completed_request(self):
        self.env["mail.thread"].message_process(
            None, self._email(self.north_user.email, "Lift stuck", "m3")
        )
        ticket = self.env["service.ticket"].search([("subject", "=", "Lift stuck")])
        ticket.action_complete()
        reply = self._email(
            self.north_user.email,
            "Re: Lift stuck",
            "m4",
            extra="In-Reply-To: <m3@example.com>\r\nReferences: <m3@example.com>\r\n",
        )
        self.env["mail.thread"].message_process(None, reply)
        self.assertEqual(ticket.state, "open")
