from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin, check_sdk_shape, stripe_priced_invoice


@tagged("post_install", "-at_install")
class TestStripeInvoicesToTheCent(LicensingSetupMixin, TransactionCase):
    """Stripe invoices with taxes, discounts, other currencies, credits and one-off sales:
    each Odoo invoice totals what Stripe charged, with its tax lines, and is reconciled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.Event = cls.env["service.stripe.event"]
        Tax = cls.env["account.tax"]
        cls.tax_20_excl = Tax.create(
            {
                "name": "VAT 20% (Stripe)",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        cls.tax_20_incl = Tax.create(
            {
                "name": "VAT 20% incl. (Stripe)",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.tax_5_excl = Tax.create(
            {
                "name": "VAT 5% (Stripe)",
                "amount": 5,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        Map = cls.env["service.stripe.tax.map"]
        Map.create({"rate": 20, "tax_behavior": "exclusive", "tax_id": cls.tax_20_excl.id})
        Map.create({"rate": 20, "tax_behavior": "inclusive", "tax_id": cls.tax_20_incl.id})
        Map.create({"rate": 5, "tax_behavior": "exclusive", "tax_id": cls.tax_5_excl.id})

    def _receive(self, invoice, event_type="invoice.paid", created=1000):
        self.assertEqual(check_sdk_shape(invoice), [], "shaped as the SDK's Invoice")
        return self._receive_new_event("evt_money", event_type, invoice, created)

    def _move(self, invoice_id):
        return self.env["account.move"].search([("service_stripe_invoice_id", "=", invoice_id)])

    def _assert_matches_stripe(self, move, invoice, decimals=2, paid=True):
        factor = 10**decimals
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.amount_total, abs(invoice["total"]) / factor, places=decimals)
        stripe_tax = sum(t["amount"] for t in invoice["total_taxes"])
        self.assertAlmostEqual(move.amount_tax, abs(stripe_tax) / factor, places=decimals)
        self.assertAlmostEqual(
            move.amount_untaxed, abs(invoice["total_excluding_tax"]) / factor, places=decimals
        )
        if paid:
            self.assertTrue(move.currency_id.is_zero(move.amount_residual), "fully reconciled")
            receivable = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            self.assertTrue(all(receivable.mapped("reconciled")))
            self.assertIn(move.payment_state, ("paid", "in_payment"))

    def _tax_line_balance(self, move, tax):
        return sum(move.line_ids.filtered(lambda line: line.tax_line_id == tax).mapped("balance"))

    def test_exclusive_tax_is_a_tax_line_and_the_payment_is_reconciled(self):
        invoice = stripe_priced_invoice(
            "in_excl",
            [{"amount": 9800, "quantity": 2, "tax": 20, "description": "2 x Technician"}],
            sub_id="sub_acme_monthly",
        )
        self.assertEqual(invoice["total"], 11760)
        record = self._receive(invoice)
        self.assertEqual(record.state, "processed", record.error)
        move = self._move("in_excl")
        self._assert_matches_stripe(move, invoice)
        self.assertEqual(move.invoice_line_ids.tax_ids, self.tax_20_excl)
        self.assertEqual(move.invoice_line_ids.quantity, 2)
        self.assertAlmostEqual(self._tax_line_balance(move, self.tax_20_excl), -19.60)
        payment = self.env["account.payment"].search([("memo", "=", "INV-in_excl")])
        self.assertAlmostEqual(payment.amount, 117.60)

    def test_inclusive_tax(self):
        invoice = stripe_priced_invoice(
            "in_incl",
            [{"amount": 12000, "tax": 20, "behavior": "inclusive"}],
            sub_id="sub_acme_monthly",
        )
        self._receive(invoice)
        move = self._move("in_incl")
        self._assert_matches_stripe(move, invoice)
        self.assertAlmostEqual(move.amount_tax, 20.0)
        self.assertAlmostEqual(self._tax_line_balance(move, self.tax_20_incl), -20.0)

    def test_invoice_coupon_and_line_discount_are_lines_that_reduce_the_tax_base(self):
        invoice = stripe_priced_invoice(
            "in_coupon",
            [
                {"amount": 9800, "tax": 20, "description": "Plan"},
                {"amount": 3000, "tax": 20, "discount": 1000, "description": "Add-on"},
            ],
            sub_id="sub_acme_monthly",
            coupon_percent=50,
        )
        # Plan 98 - 49, add-on 30 - 10 - 10: 59 + 20% = 70.80.
        self.assertEqual(invoice["total"], 7080)
        record = self._receive(invoice)
        self.assertEqual(record.state, "processed", record.error)
        move = self._move("in_coupon")
        self._assert_matches_stripe(move, invoice)
        discounts = move.invoice_line_ids.filtered(lambda line: line.price_subtotal < 0)
        self.assertEqual(len(discounts), 2, "one discount line per discounted line")
        self.assertAlmostEqual(sum(discounts.mapped("price_subtotal")), -69.0)
        self.assertEqual(discounts.tax_ids, self.tax_20_excl)

    def test_zero_decimal_currency_jpy(self):
        invoice = stripe_priced_invoice(
            "in_jpy", [{"amount": 5000, "quantity": 1}], sub_id="sub_acme_monthly", currency="jpy"
        )
        self._receive(invoice)
        move = self._move("in_jpy")
        self.assertEqual(move.currency_id.name, "JPY")
        self.assertEqual(move.amount_total, 5000, "5000 yen, not 50")
        self._assert_matches_stripe(move, invoice, decimals=0)

    def test_three_decimal_currency_kwd_with_tax(self):
        invoice = stripe_priced_invoice(
            "in_kwd", [{"amount": 12340, "tax": 5}], sub_id="sub_acme_monthly", currency="kwd"
        )
        self.assertEqual(invoice["total"], 12957)
        self._receive(invoice)
        move = self._move("in_kwd")
        self.assertEqual(move.currency_id.name, "KWD")
        self.assertAlmostEqual(move.amount_total, 12.957, places=3)
        self._assert_matches_stripe(move, invoice, decimals=3)

    def test_negative_total_is_a_credit_note_applied_to_the_next_invoice(self):
        credit = stripe_priced_invoice(
            "in_credit",
            [
                {"amount": -9800, "tax": 20, "description": "Unused time on 2 licences"},
                {"amount": 4900, "tax": 20, "description": "Remaining time on 1 licence"},
            ],
            sub_id="sub_acme_monthly",
        )
        self.assertEqual(credit["total"], -5880)
        record = self._receive(credit)
        self.assertEqual(record.state, "processed", record.error)
        refund = self._move("in_credit")
        self.assertEqual(refund.move_type, "out_refund")
        self._assert_matches_stripe(refund, credit, paid=False)
        self.assertAlmostEqual(self._tax_line_balance(refund, self.tax_20_excl), 9.80)
        # Stripe keeps the credit in the customer's balance and applies it to the next one.
        following = stripe_priced_invoice(
            "in_after_credit", [{"amount": 9800, "tax": 20}], sub_id="sub_acme_monthly"
        )
        following["amount_paid"] = following["total"] - 5880
        self._receive(following, created=2000)
        move = self._move("in_after_credit")
        self._assert_matches_stripe(move, following)
        self.assertTrue(refund.currency_id.is_zero(refund.amount_residual))

    def test_one_off_invoice_of_a_known_customer_is_recorded_against_it(self):
        invoice = stripe_priced_invoice(
            "in_oneoff",
            [{"amount": 2500, "tax": 20, "description": "Setup fee"}],
            customer="cus_acme",
        )
        record = self._receive(invoice)
        self.assertEqual(record.state, "processed", record.error)
        move = self._move("in_oneoff")
        self.assertEqual(move.partner_id, self.customer)
        self.assertFalse(move.service_subscription_id)
        self._assert_matches_stripe(move, invoice)

    def test_one_off_invoice_of_an_unknown_customer_is_ignored_with_its_reason(self):
        invoice = stripe_priced_invoice("in_stranger", [{"amount": 2500}], customer="cus_nobody")
        record = self._receive(invoice)
        self.assertEqual(record.state, "ignored")
        self.assertIn("cus_nobody", record.error)
        self.assertEqual(record.attempts, 1)
        self.assertFalse(self._move("in_stranger"))
        self.assertNotIn(record, self.Event._cron_retry_failed(), "not retried")

    def test_unmapped_tax_rate_fails_clearly_then_succeeds_once_mapped(self):
        invoice = stripe_priced_invoice(
            "in_unmapped", [{"amount": 10000, "tax": 7.5}], sub_id="sub_acme_monthly"
        )
        record = self._receive(invoice)
        self.assertEqual(record.state, "failed")
        self.assertIn("7.5%", record.error)
        self.assertIn("Stripe Tax Mapping", record.error)
        self.assertFalse(self._move("in_unmapped"))
        tax = self.env["account.tax"].create(
            {
                "name": "7.5%",
                "amount": 7.5,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        self.env["service.stripe.tax.map"].create(
            {"rate": 7.5, "tax_behavior": "exclusive", "tax_id": tax.id}
        )
        self.Event._cron_retry_failed()
        self.assertEqual(record.state, "processed", record.error)
        self._assert_matches_stripe(self._move("in_unmapped"), invoice)

    def test_tax_mapped_by_stripe_rate_id_wins(self):
        other = self.env["account.tax"].create(
            {
                "name": "VAT 20% special",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        self.env["service.stripe.tax.map"].create(
            {
                "rate": 20,
                "tax_behavior": "exclusive",
                "stripe_tax_rate_id": "txr_20_exclusive",
                "tax_id": other.id,
            }
        )
        invoice = stripe_priced_invoice(
            "in_byid", [{"amount": 1000, "tax": 20}], sub_id="sub_acme_monthly"
        )
        self._receive(invoice)
        self.assertEqual(self._move("in_byid").invoice_line_ids.tax_ids, other)

    def test_older_api_version_shape(self):
        """Before 2025 Stripe sent the subscription at the top, ``tax_amounts`` with
        ``inclusive`` and a ``tax`` total."""
        invoice = {
            "id": "in_old",
            "object": "invoice",
            "number": "OLD-1",
            "currency": "eur",
            "customer": "cus_acme",
            "subscription": "sub_acme_monthly",
            "created": 1000,
            "subtotal": 10000,
            "tax": 2000,
            "total": 12000,
            "amount_paid": 12000,
            "status_transitions": {"paid_at": 1000},
            "lines": {
                "data": [
                    {
                        "amount": 10000,
                        "quantity": 4,
                        "description": "4 x Technician",
                        "price": {"id": "price_old"},
                        "tax_amounts": [
                            {
                                "amount": 2000,
                                "inclusive": False,
                                "tax_rate": "txr_old",
                                "taxable_amount": 10000,
                            }
                        ],
                        "discount_amounts": [],
                    }
                ]
            },
        }
        record = self.Event._receive(
            {"id": "evt_old", "type": "invoice.paid", "created": 1000, "data": {"object": invoice}}
        )
        self.assertEqual(record.state, "processed", record.error)
        move = self._move("in_old")
        self.assertEqual(move.currency_id.name, "EUR")
        self.assertAlmostEqual(move.amount_total, 120.0)
        self.assertAlmostEqual(move.amount_tax, 20.0)
        self.assertEqual(move.invoice_line_ids.quantity, 4)
        self.assertTrue(move.currency_id.is_zero(move.amount_residual))

    def test_mapping_is_reachable_from_the_settings(self):
        action = self.env.ref("service_licensing.action_service_stripe_tax_map")
        self.assertEqual(action.res_model, "service.stripe.tax.map")
        mapping = self.env["service.stripe.tax.map"].search([("rate", "=", 20)], limit=1)
        self.assertIn("20%", mapping.display_name)
