from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestLicensingStaffTours(LicensingCommon, HttpCase):
    """The licensing manager and the accountant in the browser, on one customer's
    subscription with a licence and a paid invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_plans(cls.env)
        cls.licensing_manager = new_test_user(
            cls.env,
            login="tour_licensing_manager",
            # the subscription's Invoices button is for those who may read invoices
            groups="service_licensing.group_licensing_manager,account.group_account_invoice",
        )
        cls.accountant = new_test_user(
            cls.env, login="tour_accountant", groups="account.group_account_invoice"
        )
        customer = cls.env["res.partner"].create({"name": "Harbour Optics", "is_company": True})
        plan = cls.plan_monthly
        cls.subscription = cls.env["service.subscription"].create(
            {
                "partner_id": customer.id,
                "product_id": plan.id,
                "quantity": 2,
                "state": "active",
                "stripe_subscription_id": "sub_harbour_optics",
                "stripe_customer_id": "cus_harbour_optics",
            }
        )
        cls.license = cls.env["service.license"].create(
            {
                "subscription_id": cls.subscription.id,
                "name": "Tess Tour",
                "email": "tess@harbour-optics.example",
            }
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "service_subscription_id": cls.subscription.id,
                "invoice_line_ids": [
                    Command.create({"product_id": plan.id, "quantity": 2, "price_unit": 25.0})
                ],
            }
        )
        cls.invoice.action_post()
        cls.payment = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=cls.invoice.ids)
            .create({})
            ._create_payments()
        )

    def test_licensing_manager_reviews_a_subscription_and_revokes_a_licence(self):
        self.assertEqual(self.license.state, "allocated")
        self.assertEqual(self.subscription.quantity_allocated, 1)
        self.start_tour(
            "/odoo/action-service_licensing.action_service_subscriptions",
            "service_licensing_manager",
            login=self.licensing_manager.login,
        )
        self.assertEqual(self.license.state, "revoked")
        self.assertTrue(self.license.date_revoked)
        self.assertEqual(self.subscription.quantity_allocated, 0)

    def test_accountant_finds_a_subscription_invoice_and_its_payment(self):
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(self.invoice.payment_count, 1)
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice",
            "service_licensing_accountant",
            login=self.accountant.login,
        )
        # the accountant only looked: the invoice stays paid, by the same payment
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(self.invoice.reconciled_payment_ids, self.payment)
