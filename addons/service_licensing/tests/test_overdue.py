from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin, stripe_invoice


@tagged("post_install", "-at_install")
class TestOverdue(LicensingSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.license = cls.subscription._allocate_license(
            {"name": "Tom Tech", "email": "tom@acme.example"}
        )
        cls.technician = cls.license.user_id
        cls.Event = cls.env["service.stripe.event"]

    def _invoice_event(self, event_id, event_type, created, invoice_id=None):
        return self.Event._receive(
            {
                "id": event_id,
                "type": event_type,
                "created": created,
                "data": {
                    "object": stripe_invoice(invoice_id or f"in_{event_id}", "sub_acme_monthly")
                },
            }
        )

    def _age_failure(self, days):
        self.subscription.payment_failed_since = fields.Datetime.now() - timedelta(days=days)

    def test_failed_payment_reminds_the_admins_and_starts_the_grace_period(self):
        record = self._invoice_event("evt_fail", "invoice.payment_failed", 1000)
        self.assertEqual(record.state, "processed")
        self.assertTrue(self.subscription.payment_failed_since)
        mail = (
            self.env["mail.mail"]
            .search([("model", "=", "service.subscription"), ("res_id", "=", self.subscription.id)])
            .filtered(lambda m: "Payment failed" in (m.subject or ""))
        )
        self.assertEqual(len(mail), 1, mail.mapped(lambda m: (m.subject, m.recipient_ids.ids)))
        self.assertEqual(mail.recipient_ids, self.owner.partner_id | self.secondary.partner_id)
        self.assertTrue(self.technician.active, "no suspension within the grace period")

    def test_access_is_suspended_after_the_grace_period_and_restored_when_paid(self):
        self._invoice_event("evt_fail", "invoice.payment_failed", 1000)
        self._age_failure(3)
        self.env["service.subscription"]._cron_suspend_overdue()
        self.assertFalse(self.subscription.access_suspended, "7 days of grace by default")
        self._age_failure(8)
        self.env["service.subscription"]._cron_suspend_overdue()
        self.assertTrue(self.subscription.access_suspended)
        self.assertFalse(self.license.grants_access)
        self.assertFalse(self.technician.active, "the technician's sessions end")
        self.assertEqual(self.license.state, "allocated", "the seat is kept")
        self.assertTrue(self.owner.active, "admins keep their login to settle the account")
        with self.assertRaisesRegex(UserError, "overdue"):
            self.subscription.with_user(self.owner)._allocate_license(
                {"name": "New Tech", "email": "new@acme.example"}
            )

        self._invoice_event("evt_paid", "invoice.paid", 2000)
        self.assertFalse(self.subscription.access_suspended)
        self.assertFalse(self.subscription.payment_failed_since)
        self.assertTrue(self.technician.active)
        self.assertTrue(self.license.grants_access)

    def test_grace_period_is_a_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "service_licensing.overdue_grace_days", "2"
        )
        self._invoice_event("evt_fail", "invoice.payment_failed", 1000)
        self._age_failure(3)
        self.env["service.subscription"]._cron_suspend_overdue()
        self.assertTrue(self.subscription.access_suspended)

    def test_grace_period_setting_is_read_as_a_whole_number(self):
        params = self.env["ir.config_parameter"].sudo()
        Subscription = self.env["service.subscription"]
        for value, days in ((False, 7), ("abc", 7), ("-3", 0), ("4", 4)):
            with self.subTest(value=value):
                params.set_param("service_licensing.overdue_grace_days", value)
                self.assertEqual(Subscription._grace_days(), days)

    def test_a_late_failure_event_does_not_reopen_a_paid_account(self):
        self._invoice_event("evt_paid", "invoice.paid", 2000)
        record = self._invoice_event("evt_old_fail", "invoice.payment_failed", 1000)
        self.assertEqual(record.state, "ignored")
        self.assertFalse(self.subscription.payment_failed_since)
