from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin, stripe_invoice


@tagged("post_install", "-at_install")
class TestStripeAccounting(LicensingSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.Event = cls.env["service.stripe.event"]

    def _receive(self, event_id, event_type, invoice, created=1000):
        return self.Event._receive(
            {"id": event_id, "type": event_type, "created": created, "data": {"object": invoice}}
        )

    def _moves(self, invoice_id):
        return self.env["account.move"].search([("service_stripe_invoice_id", "=", invoice_id)])

    def test_paid_stripe_invoice_is_a_posted_paid_customer_invoice(self):
        record = self._receive(
            "evt_paid", "invoice.paid", stripe_invoice("in_1", "sub_acme_monthly")
        )
        self.assertEqual(record.state, "processed")
        move = self._moves("in_1")
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.service_subscription_id, self.subscription)
        self.assertEqual(move.ref, "INV-in_1")
        self.assertEqual(move.currency_id.name, "USD")
        self.assertAlmostEqual(move.amount_total, 147.0)
        self.assertEqual(move.invoice_line_ids.product_id, self.plan_monthly)
        self.assertEqual(move.invoice_line_ids.quantity, 3)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.subscription.invoice_count, 1)

    def test_payments_go_to_the_journal_set_in_the_settings(self):
        journal = self.env["account.journal"].create(
            {"name": "Stripe payouts", "type": "bank", "code": "STRP"}
        )
        settings = self.env["res.config.settings"].create(
            {"service_licensing_journal_id": journal.id, "service_licensing_grace_days": 3}
        )
        settings.execute()
        self.assertEqual(self.env["service.subscription"]._grace_days(), 3)
        self._receive("evt_journal", "invoice.paid", stripe_invoice("in_j", "sub_acme_monthly"))
        payments = self.env["account.payment"].search([("journal_id", "=", journal.id)])
        self.assertTrue(payments, "the payment is recorded in the journal of the settings")
        self.assertIn(self._moves("in_j").payment_state, ("paid", "in_payment"))

    def test_failed_then_paid_records_one_invoice_then_its_payment(self):
        invoice = stripe_invoice("in_2", "sub_acme_monthly")
        self._receive("evt_failed", "invoice.payment_failed", invoice, created=1000)
        move = self._moves("in_2")
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.payment_state, "not_paid", "accountants see it unpaid")
        self._receive("evt_paid", "invoice.paid", invoice, created=2000)
        self.assertEqual(self._moves("in_2"), move)
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_paid_before_failed_out_of_order_stays_paid_once(self):
        invoice = stripe_invoice("in_3", "sub_acme_monthly")
        self._receive("evt_paid", "invoice.paid", invoice, created=2000)
        self._receive("evt_failed", "invoice.payment_failed", invoice, created=1000)
        self._receive("evt_paid_again", "invoice.paid", invoice, created=2000)
        move = self._moves("in_3")
        self.assertEqual(len(move), 1)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        payments = self.env["account.payment"].search([("memo", "=", "INV-in_3")])
        self.assertEqual(len(payments), 1)
        self.assertFalse(self.subscription.payment_failed_since)

    def test_unknown_currency_fails_the_event_with_its_reason(self):
        invoice = stripe_invoice("in_4", "sub_acme_monthly", currency="xyz")
        record = self._receive("evt_bad_currency", "invoice.paid", invoice)
        self.assertEqual(record.state, "failed")
        self.assertIn("unknown currency", record.error)
        self.assertFalse(self._moves("in_4"))

    def test_annual_plan_on_account_is_an_ordinary_invoice_with_payment_terms(self):
        subscription = (
            self.env["sale.order"]
            .with_user(self.owner)
            ._service_buy_on_account(self.customer, self.plan_annual, 2)
        )
        subscription = subscription.sudo()
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.payment_mode, "on_account")
        self.assertEqual(subscription.quantity, 2)
        self.assertEqual(subscription.partner_id, self.customer)
        self.assertTrue(subscription.date_start and subscription.date_end)
        order = subscription.sale_order_id
        self.assertEqual(order.state, "sale")
        invoice = subscription.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(
            invoice.invoice_payment_term_id, self.env.ref("account.account_payment_term_30days")
        )
        self.assertEqual(invoice.invoice_line_ids.quantity, 2)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.plan_annual)
        # Its licences can be allocated at once.
        license_ = subscription.with_user(self.owner)._allocate_license(
            {"name": "Annie Annual", "email": "annie@acme.example"}
        )
        self.assertEqual(license_.sudo().subscription_id, subscription)

    def test_only_annual_plans_and_admins_buy_on_account(self):
        SaleOrder = self.env["sale.order"]
        with self.assertRaisesRegex(UserError, "Only annual plans"):
            SaleOrder.with_user(self.owner)._service_buy_on_account(
                self.customer, self.plan_monthly, 1
            )
        with self.assertRaises(AccessError):
            SaleOrder.with_user(self.contact)._service_buy_on_account(
                self.customer, self.plan_annual, 1
            )
        with self.assertRaises(AccessError):
            SaleOrder.with_user(self.other_owner)._service_buy_on_account(
                self.customer, self.plan_annual, 1
            )
