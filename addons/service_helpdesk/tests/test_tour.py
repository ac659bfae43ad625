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
