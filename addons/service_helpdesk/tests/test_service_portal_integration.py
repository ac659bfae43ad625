from odoo import http
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestServicePortalIntegration(HelpdeskCommon, HttpCase):
    """Requests appear on service_portal's pages: the site tab, the open-activities count,
    the dashboard; the operator can hide them; request emails honour the preference."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_site_page_has_a_requests_tab_with_the_sites_open_requests(self):
        self.authenticate(self.manager_user.login, self.PASSWORDS[self.manager_user.login])
        page = self.url_open(f"/my/sites/{self.north.id}?tab=requests")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.north_ticket.name, page.text)
        self.assertNotIn(self.south_ticket.name, page.text)

    def test_open_requests_count_on_the_site_list_and_dashboard(self):
        self.authenticate(self.manager_user.login, self.PASSWORDS[self.manager_user.login])
        sites = self.url_open("/my/sites").text
        self.assertIn("1 open request<", sites)  # one request open at each site
        home = self.url_open("/my").text
        self.assertIn("Open requests", home)
        self.assertIn(self.north_ticket.name, home)

    def test_site_contact_sees_only_its_sites_requests_on_the_dashboard(self):
        self.authenticate(self.north_user.login, self.PASSWORDS[self.north_user.login])
        home = self.url_open("/my").text
        self.assertIn(self.north_ticket.name, home)
        self.assertNotIn(self.south_ticket.name, home)
        self.assertEqual(self.url_open(f"/my/sites/{self.south.id}?tab=requests").status_code, 404)

    def test_hidden_help_desk_leaves_no_trace_on_the_portal_pages(self):
        self.env["ir.config_parameter"].sudo().set_param("service_portal.hide_helpdesk", "True")
        self.authenticate(self.manager_user.login, self.PASSWORDS[self.manager_user.login])
        page = self.url_open(f"/my/sites/{self.north.id}?tab=requests").text
        self.assertNotIn("tab=requests", page)
        self.assertNotIn(self.north_ticket.name, page)
        self.assertNotIn("Open requests", self.url_open("/my").text)

    def test_request_emails_honour_the_preference(self):
        north_contact = self.north_user.partner_id
        manager = self.manager_user.partner_id
        north_contact.service_notify_request_updates = False
        message = self.north_ticket.message_post(
            body="We are on it",
            partner_ids=(north_contact | manager).ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        notified = message.notification_ids.res_partner_id
        self.assertIn(manager, notified)
        self.assertNotIn(north_contact, notified)

    def test_request_preference_on_the_notifications_page(self):
        north_contact = self.north_user.partner_id
        self.authenticate(self.north_user.login, self.PASSWORDS[self.north_user.login])
        self.assertIn(
            "Replies and status changes on my requests", self.url_open("/my/notifications").text
        )
        self.url_open(
            "/my/notifications",
            data={"service_notify_invoices": "1", "csrf_token": http.Request.csrf_token(self)},
        )
        self.env.invalidate_all()
        self.assertFalse(north_contact.service_notify_request_updates)
        self.url_open(
            "/my/notifications",
            data={
                "service_notify_request_updates": "1",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.env.invalidate_all()
        self.assertTrue(north_contact.service_notify_request_updates)
        self.assertFalse(north_contact.service_notify_invoices)

    def test_help_desk_is_a_portal_section_the_operator_can_hide(self):
        Settings = self.env["service.portal.settings"]
        self.assertIn("helpdesk", Settings._get_portal_sections())
        self.assertTrue(Settings.get_shown_sections()["helpdesk"])
        self.env["res.config.settings"].create({"service_portal_hide_helpdesk": True}).execute()
        self.assertFalse(Settings.get_shown_sections()["helpdesk"])
        self.assertTrue(
            self.env["ir.config_parameter"].sudo().get_param("service_portal.hide_helpdesk")
        )
