from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields, http
from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestNotificationPreferences(ServicePortalHttpCase):
    def test_preferences_page_saves_the_switches(self):
        self.login_as(self.north_user)
        page = self.url_open("/my/notifications")
        self.assertIn("Visits scheduled, moved or completed", page.text)
        self.assertNotIn("service_preferences_saved", page.text)
        saved = self.url_open(
            "/my/notifications",
            data={
                "service_notify_invoices": "1",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        # saved, then shown once on the page the form redirects to
        self.assertIn('id="service_preferences_saved"', saved.text)
        self.assertNotIn("service_preferences_saved", self.url_open("/my/notifications").text)
        partner = self.north_user.partner_id
        self.env.invalidate_all()
        self.assertTrue(partner.service_notify_invoices)
        self.assertFalse(partner.service_notify_order_updates)
        self.assertFalse(partner.service_notify_visit_reminders)

    def test_order_preference_stops_exactly_order_mails(self):
        self.north_user.partner_id.service_notify_order_updates = False
        order = self.env["service.order"].create(
            {
                "partner_id": self.winslow.id,
                "site_id": self.north.id,
                "date_start": fields.Datetime.now() + timedelta(days=5),
            }
        )
        order.action_schedule()
        scheduled = order.message_ids.filtered(lambda m: "Visit scheduled" in (m.subject or ""))
        self.assertNotIn(self.north_user.partner_id, scheduled.partner_ids)
        self.assertIn(self.manager_user.partner_id, scheduled.partner_ids)
        # the reminder is another preference: still sent to the north contact
        self.assertIn(self.north_user.partner_id, order._customer_recipients("visit_reminder"))

    def test_visit_reminder_the_day_before_in_the_customers_time_zone(self):
        self.winslow.tz = "America/Chicago"
        self.manager_user.partner_id.service_notify_visit_reminders = False
        # 9:00 in Chicago on 10 March is 15:00 UTC
        order = self.env["service.order"].create(
            {
                "partner_id": self.winslow.id,
                "site_id": self.north.id,
                "date_start": datetime(2027, 3, 10, 15, 0),
                "state": "scheduled",
            }
        )
        Order = self.env["service.order"]
        with freeze_time(datetime(2027, 3, 8, 20, 0)):  # two days before, local time
            Order._cron_send_visit_reminders()
        self.assertFalse(order.reminder_sent)
        with freeze_time(datetime(2027, 3, 9, 14, 0)):  # the day before, 8:00 in Chicago
            Order._cron_send_visit_reminders()
        self.assertTrue(order.reminder_sent)
        reminder = order.message_ids.filtered(lambda m: "Reminder" in (m.subject or ""))
        self.assertEqual(len(reminder), 1)
        self.assertIn(self.north_user.partner_id, reminder.partner_ids)
        self.assertNotIn(self.manager_user.partner_id, reminder.partner_ids)
        with freeze_time(datetime(2027, 3, 9, 16, 0)):
            Order._cron_send_visit_reminders()
        self.assertEqual(
            len(order.message_ids.filtered(lambda m: "Reminder" in (m.subject or ""))), 1
        )
        order.write({"date_start": datetime(2027, 3, 12, 15, 0)})
        self.assertFalse(order.reminder_sent, "a moved visit is reminded again")

    def test_invoice_emails_honour_the_preference(self):
        product = self.env["product.product"].create({"name": "Call-out", "list_price": 80})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.winslow.id,
                "partner_shipping_id": self.north.id,
                "invoice_line_ids": [(0, 0, {"product_id": product.id, "price_unit": 80})],
            }
        )
        invoice.action_post()
        self.north_user.partner_id.service_notify_invoices = False
        message = invoice.message_post(
            body="Your invoice",
            partner_ids=(self.north_user.partner_id | self.manager_user.partner_id).ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.manager_user.partner_id, notified)
        self.assertNotIn(self.north_user.partner_id, notified)
