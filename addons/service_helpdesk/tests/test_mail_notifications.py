from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestRequestMail(HelpdeskCommon, TransactionCase):
    """Staff replies by email to the customer and the subscribers, and the customer's
    email replies back onto the right request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_mail_domain("helpdesk-mail.example")
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Agent Mailer",
                "login": "agent.mailer@example.com",
                "email": "agent.mailer@example.com",
                "group_ids": [(4, cls.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        cls.ticket = cls._service_ticket("Heating noisy", cls.site_north, cls.north_user)
        cls.other_ticket = cls._service_ticket(
            "Heating noisy again", cls.site_north, cls.north_user
        )
        # the manager subscribes from the portal
        cls.ticket.with_user(cls.north_user)._portal_add_subscriber(cls.manager_user.partner_id)

    def _staff_reply(self, ticket, body):
        return ticket.with_user(self.agent).message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _emailed(self, message):
        notifications = message.notification_ids.filtered(
            lambda notification: notification.notification_type == "email"
        )
        return notifications.res_partner_id

    def _mails_to(self, message, partner):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", message.id)])
            .filtered(lambda mail: partner in mail.recipient_ids)
        )

    def test_staff_reply_notifies_the_customer_and_the_subscribers(self):
        message = self._staff_reply(self.ticket, "We come on Tuesday.")
        emailed = self._emailed(message)
        self.assertIn(self.north_user.partner_id, emailed)
        self.assertIn(self.manager_user.partner_id, emailed)
        self.assertNotIn(self.agent.partner_id, emailed)
        for partner in (self.north_user.partner_id, self.manager_user.partner_id):
            with self.subTest(partner=partner.name):
                mail = self._mails_to(message, partner)
                self.assertTrue(mail)
                self.assertIn("We come on Tuesday.", mail[0].body_html)
                # the button opens the request (Odoo's /mail/view sends portal users to
                # its portal page)
                self.assertIn(
                    f"/mail/view?model=service.ticket&amp;res_id={self.ticket.id}",
                    mail[0].body_html,
                )

    def test_subscriber_who_turned_request_updates_off_gets_nothing(self):
        self.manager_user.partner_id.service_notify_request_updates = False
        message = self._staff_reply(self.ticket, "Parts ordered.")
        emailed = self._emailed(message)
        self.assertIn(self.north_user.partner_id, emailed)
        self.assertNotIn(self.manager_user.partner_id, message.notification_ids.res_partner_id)
        self.assertFalse(self._mails_to(message, self.manager_user.partner_id))
        self.assertTrue(self._mails_to(message, self.north_user.partner_id))
        # still a subscriber: the preference only silences the emails
        self.assertIn(self.manager_user.partner_id, self.ticket.message_partner_ids)

    def _reply_email(self, parent, msg_id, body):
        reference = parent.message_id
        return (
            f"From: Nick Northcott <{self.north_user.email}>\r\n"
            "To: catchall@helpdesk-mail.example\r\n"
            "Subject: Re: Heating noisy\r\n"
            f"Message-ID: <{msg_id}@winslow.example>\r\n"
            f"In-Reply-To: {reference}\r\n"
            f"References: {reference}\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            f"{body}\r\n"
        )

    def test_email_reply_lands_on_the_right_request(self):
        message = self._staff_reply(self.ticket, "Which radiator?")
        other_message = self._staff_reply(self.other_ticket, "Which floor?")
        mail = self._mails_to(message, self.north_user.partner_id)
        self.assertTrue(mail)
        self.assertEqual(mail[0].message_id, message.message_id)
        tickets_before = self.env["service.ticket"].search_count([])
        thread_id = self.env["mail.thread"].message_process(
            None, self._reply_email(message, "reply-1", "The one in room 12.")
        )
        self.assertEqual(thread_id, self.ticket.id)
        reply = self.ticket.message_ids.filtered(lambda m: "room 12" in (m.body or ""))
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.author_id, self.north_user.partner_id)
        self.assertEqual(reply.parent_id, message)
        self.assertFalse(
            self.other_ticket.message_ids.filtered(lambda m: "room 12" in (m.body or ""))
        )
        # a reply to the other request's notification lands there
        self.env["mail.thread"].message_process(
            None, self._reply_email(other_message, "reply-2", "Second floor.")
        )
        self.assertTrue(
            self.other_ticket.message_ids.filtered(lambda m: "Second floor" in (m.body or ""))
        )
        self.assertFalse(
            self.ticket.message_ids.filtered(lambda m: "Second floor" in (m.body or ""))
        )
        self.assertEqual(self.env["service.ticket"].search_count([]), tickets_before)
        # the customer's email reply is forwarded to the other followers, not to its author
        self.assertNotIn(self.north_user.partner_id, self._emailed(reply))
