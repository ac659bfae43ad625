import stripe

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import (
    StripeFakeSetupMixin,
    check_sdk_shape,
    sign_stripe_payload,
    stripe_event,
    stripe_priced_invoice,
)
from .test_stripe_refunds import stripe_charge, stripe_dispute

WEBHOOK = "/service/stripe/webhook"


def stripe_fee(amount):
    """Stripe's card fee: 2.9% + 30 cents."""
    return round(amount * 0.029) + 30


class StripePayoutsSetup(StripeFakeSetupMixin):
    """A Stripe journal, the bank journal Stripe pays out to, the fee account, a 20% tax
    mapped; events signed and posted to the licensing webhook; Stripe's balance in the fake."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.stripe_journal = env["account.journal"].create(
            {"name": "Stripe (payouts test)", "type": "bank", "code": "STPT"}
        )
        cls.bank_journal = env["account.journal"].create(
            {"name": "Bank of Payouts", "type": "bank", "code": "BKPT"}
        )
        cls.fee_account = env["account.account"].create(
            {"name": "Stripe fees (payouts test)", "code": "627200", "account_type": "expense"}
        )
        env["res.config.settings"].create(
            {
                "service_licensing_journal_id": cls.stripe_journal.id,
                "service_licensing_payout_journal_id": cls.bank_journal.id,
                "service_licensing_fee_account_id": cls.fee_account.id,
            }
        ).execute()
        cls.tax = env["account.tax"].create(
            {
                "name": "VAT 20% (Stripe payouts)",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        env["service.stripe.tax.map"].create(
            {"rate": 20, "tax_behavior": "exclusive", "tax_id": cls.tax.id}
        )
        cls.currency = env.company.currency_id
        cls.transfer_account = env.company.transfer_account_id
        cls.counter = 0

    def _post_event(self, event_type, obj, event_id=None):
        type(self).counter += 1
        event = stripe_event(event_id or f"evt_payouts_{self.counter}", event_type, obj)
        payload = self._json(event)
        response = self.url_open(
            WEBHOOK,
            data=payload,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": sign_stripe_payload(payload),
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        return self.env["service.stripe.event"].search([("stripe_id", "=", event["id"])])

    def _paid_invoice(self, invoice_id, amount):
        """A Stripe invoice of ``amount`` + 20% tax, paid by card: the invoice.paid event,
        and the charge with its fee in Stripe's balance."""
        invoice = stripe_priced_invoice(
            invoice_id,
            [{"amount": amount, "tax": 20}],
            sub_id="sub_acme_monthly",
            currency=self.currency.name.lower(),
        )
        record = self._post_event("invoice.paid", invoice)
        self.assertNotEqual(record.state, "failed", record.error)
        self.assertTrue(
            self.env["account.move"].search([("service_stripe_invoice_id", "=", invoice_id)])
        )
        charge = self.stripe.add_charge(
            invoice["total"],
            payment_intent=f"pi_{invoice_id}",
            fee=stripe_fee(invoice["total"]),
            currency=invoice["currency"],
            customer="cus_acme",
        )
        return invoice, charge

    def _balance(self, account, moves=None):
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if moves is not None:
            domain.append(("move_id", "in", moves.ids))
        return sum(self.env["account.move.line"].search(domain).mapped("balance"))

    def _stripe_balance(self):
        """Stripe's balance in major units: the sum of its balance transactions."""
        return self.stripe.balance(self.currency.name.lower()) / 100

    def _payout_entries(self, payout_id):
        return self.env["account.move"].search([("service_stripe_payout_id", "=", payout_id)])

    def _bank_line(self, label, amount):
        return self.env["account.bank.statement.line"].create(
            {"journal_id": self.bank_journal.id, "payment_ref": label, "amount": amount}
        )


@tagged("post_install", "-at_install")
class TestStripePayouts(StripePayoutsSetup, HttpCase):
    """Payouts booked from Stripe's balance transactions, through the real SDK and signed
    webhooks: the Stripe journal's balance is Stripe's balance."""

    def test_payout_with_fees_and_a_refund_then_its_bank_line(self):
        stripe_account = self.stripe_journal.default_account_id
        invoices = [
            self._paid_invoice("in_po_1", 9800),
            self._paid_invoice("in_po_2", 4900),
            self._paid_invoice("in_po_3", 19600),
        ]
        # A partial refund of the second invoice: its credit note and refund payment, and the
        # refund out of Stripe's balance.
        invoice_2, charge_2 = invoices[1]
        refund = self._post_event("charge.refunded", stripe_charge(invoice_2, 2940))
        self.assertEqual(refund.state, "processed", refund.error)
        self.stripe.add_refund(charge_2["id"], 2940)
        self.assertEqual(self._balance(stripe_account), 0, "nothing in the Stripe account yet")

        payout = self.stripe.add_payout(
            self.currency.name.lower(), statement_descriptor="ACMELICENCES"
        )
        self.assertEqual(check_sdk_shape(payout, stripe.Payout, "payout"), [])
        for tx in self.stripe.balance_transactions:
            self.assertEqual(check_sdk_shape(tx, stripe.BalanceTransaction, "tx"), [])
        self.assertEqual(self._stripe_balance(), 0, "everything was paid out")
        record = self._post_event("payout.paid", payout)
        self.assertEqual(record.state, "processed", record.error)

        # The books say what Stripe says.
        entry = self._payout_entries(payout["id"])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.journal_id, self.stripe_journal)
        self.assertAlmostEqual(self._balance(stripe_account), self._stripe_balance())
        gross = sum(invoice["total"] for invoice, _charge in invoices) / 100
        self.assertAlmostEqual(
            sum(
                entry.line_ids.filtered(lambda line: line.account_id == stripe_account).mapped(
                    "debit"
                )
            ),
            gross,
            msg="the gross charges entered the Stripe account",
        )
        fees = sum(stripe_fee(invoice["total"]) for invoice, _charge in invoices) / 100
        self.assertAlmostEqual(self._balance(self.fee_account), fees)
        transfer = entry._service_stripe_transfer_line()
        self.assertEqual(transfer.account_id, self.transfer_account)
        self.assertAlmostEqual(transfer.balance, payout["amount"] / 100)
        self.assertAlmostEqual(payout["amount"] / 100, gross - fees - 29.40)
        self.assertAlmostEqual(entry.service_stripe_payout_amount, payout["amount"] / 100)
        # Each customer payment (and the refund payment) is settled by the payout, not
        # counted twice: its outstanding line is reconciled with the payout's.
        for invoice, _charge in invoices:
            move = self.env["account.move"].search(
                [("service_stripe_invoice_id", "=", invoice["id"])]
            )
            payment = move._get_reconciled_payments()
            self.assertTrue(payment.is_matched, invoice["id"])
            self.assertEqual(payment.state, "paid")
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id.service_stripe_invoice_id", "=", "in_po_2")]
        )
        self.assertTrue(credit_note._get_reconciled_payments().is_matched)
        self.assertFalse(entry.narration, "every transaction matched something recorded")

        # The bank statement: one click matches the payout with its line.
        self.assertFalse(entry.service_stripe_payout_matched)
        self._bank_line("Other transfer", payout["amount"] / 100 + 1)
        bank_line = self._bank_line("STRIPE ACMELICENCES", payout["amount"] / 100)
        entry.action_service_match_payout()
        self.assertTrue(bank_line.is_reconciled)
        self.assertTrue(entry.service_stripe_payout_matched)
        self.assertAlmostEqual(self._balance(self.transfer_account, entry | bank_line.move_id), 0)
        self.assertAlmostEqual(
            self._balance(self.bank_journal.default_account_id, bank_line.move_id),
            payout["amount"] / 100,
        )

    def test_failed_payout_reverses_the_transfer_in_any_order(self):
        stripe_account = self.stripe_journal.default_account_id
        for order in (("payout.paid", "payout.failed"), ("payout.failed", "payout.paid")):
            with self.subTest(order=order):
                self._paid_invoice(f"in_fail_{order[0]}", 9800)
                payout = self.stripe.add_payout(self.currency.name.lower())
                self.stripe.fail_payout(payout["id"])
                self.assertAlmostEqual(self._stripe_balance(), payout["amount"] / 100)
                records = [self._post_event(event_type, payout) for event_type in order]
                self.assertNotEqual(records[0].state, "failed", records[0].error)
                self.assertNotEqual(records[1].state, "failed", records[1].error)
                entries = self._payout_entries(payout["id"])
                self.assertEqual(
                    sorted(entries.mapped("service_stripe_payout_key")),
                    [f"{payout['id']}:failed", f"{payout['id']}:paid"],
                )
                # The money is back in Stripe's balance, and in the Stripe account.
                self.assertAlmostEqual(self._balance(stripe_account), self._stripe_balance())
                self.assertAlmostEqual(self._balance(self.transfer_account, entries), 0)
                self.assertTrue(all(entries.mapped("service_stripe_payout_matched")))
                # Paid out again later: Stripe's payout_failure transaction is in the next
                # payout, and is not booked a second time.
                second = self.stripe.add_payout(self.currency.name.lower())
                record = self._post_event("payout.paid", second)
                self.assertEqual(record.state, "processed", record.error)
                self.assertAlmostEqual(self._stripe_balance(), 0)
                self.assertAlmostEqual(self._balance(stripe_account), 0)
                self.assertAlmostEqual(
                    self._payout_entries(second["id"]).service_stripe_payout_amount,
                    payout["amount"] / 100,
                )

    def test_payout_event_twice_is_booked_once(self):
        self._paid_invoice("in_twice", 9800)
        payout = self.stripe.add_payout(self.currency.name.lower())
        first = self._post_event("payout.paid", payout, event_id="evt_payout_twice")
        again = self._post_event("payout.paid", payout, event_id="evt_payout_twice")
        self.assertEqual(first, again, "one delivery recorded")
        other = self._post_event("payout.paid", payout)  # another event of the same payout
        self.assertEqual(other.state, "ignored")
        self.assertIn("already booked", other.error)
        self.assertEqual(len(self._payout_entries(payout["id"])), 1)
        self.assertAlmostEqual(
            self._balance(self.stripe_journal.default_account_id), self._stripe_balance()
        )
        self.assertEqual(
            len([r for r in self.stripe.requests if r["path"] == "/v1/balance_transactions"]),
            1,
            "Stripe asked once",
        )

    def test_disputes_won_and_lost_in_the_balance(self):
        stripe_account = self.stripe_journal.default_account_id
        won, _charge = self._paid_invoice("in_po_won", 9800)
        lost, _charge = self._paid_invoice("in_po_lost", 4900)
        for invoice, status in ((won, "won"), (lost, "lost")):
            dispute = stripe_dispute(f"dp_po_{status}", invoice)
            opened = self._post_event("charge.dispute.created", dispute)
            self.assertEqual(opened.state, "processed", opened.error)
            closed = self._post_event(
                "charge.dispute.closed", stripe_dispute(f"dp_po_{status}", invoice, status)
            )
            self.assertEqual(closed.state, "processed", closed.error)
            self.stripe.add_dispute({**dispute, "status": status})
        payout = self.stripe.add_payout(self.currency.name.lower())
        record = self._post_event("payout.paid", payout)
        self.assertEqual(record.state, "processed", record.error)
        # The disputed amounts were booked by the dispute events: the payout adds only
        # Stripe's dispute fees, and the books still say what Stripe says.
        self.assertAlmostEqual(self._balance(stripe_account), self._stripe_balance())
        fees = (stripe_fee(won["total"]) + stripe_fee(lost["total"]) + 2 * 1500) / 100
        self.assertAlmostEqual(
            self._balance(self.fee_account), fees + lost["total"] / 100, msg="fees and the loss"
        )
        self.assertAlmostEqual(
            payout["amount"] / 100,
            (won["total"] + lost["total"]) / 100 - fees - lost["total"] / 100,
        )
        self.assertAlmostEqual(
            self._payout_entries(payout["id"]).service_stripe_payout_amount, payout["amount"] / 100
        )

    def test_unknown_charge_and_missing_settings(self):
        # A charge of another application: in the Stripe account all the same (it is in
        # Stripe's balance), its counterpart in the suspense account with a note.
        self.stripe.add_charge(5000, payment_intent="pi_elsewhere", fee=175)
        self.env["ir.config_parameter"].set_param("service_licensing.payout_journal_id", "")
        payout = self.stripe.add_payout(self.currency.name.lower())
        record = self._post_event("payout.paid", payout)
        self.assertEqual(record.state, "failed")
        self.assertIn("Bank Journal for Stripe Payouts", record.error)
        self.assertFalse(self._payout_entries(payout["id"]), "nothing half-written")
        self.env["ir.config_parameter"].set_param(
            "service_licensing.payout_journal_id", str(self.bank_journal.id)
        )
        self.env["service.stripe.event"]._cron_retry_failed()
        self.assertEqual(record.state, "processed", record.error)
        entry = self._payout_entries(payout["id"])
        self.assertIn("matches nothing recorded here", str(entry.narration))
        suspense = self.stripe_journal.suspense_account_id
        self.assertAlmostEqual(self._balance(suspense, entry), -50.0)
        self.assertAlmostEqual(
            self._balance(self.stripe_journal.default_account_id), self._stripe_balance()
        )
        with self.assertRaisesRegex(UserError, "import the bank statement"):
            entry.action_service_match_payout()


@tagged("post_install", "-at_install")
class TestAccountantPayoutTour(StripePayoutsSetup, HttpCase):
    def test_accountant_sees_invoices_a_refund_and_matches_a_payout(self):
        """Prepared as Stripe would: invoices paid, a refund, a payout (signed webhooks into
        Odoo, the balance in the fake), and the bank statement line of the payout."""
        accountant = new_test_user(
            self.env, login="tour_payout_accountant", groups="account.group_account_invoice"
        )
        _invoice, _charge = self._paid_invoice("in_tour_1", 9800)
        invoice, charge = self._paid_invoice("in_tour_2", 4900)
        refund = self._post_event("charge.refunded", stripe_charge(invoice, 2940))
        self.assertEqual(refund.state, "processed", refund.error)
        self.stripe.add_refund(charge["id"], 2940)
        payout = self.stripe.add_payout(self.currency.name.lower(), statement_descriptor="ACMETOUR")
        record = self._post_event("payout.paid", payout)
        self.assertEqual(record.state, "processed", record.error)
        bank_line = self._bank_line("STRIPE PAYOUT ACMETOUR", payout["amount"] / 100)
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice",
            "service_licensing_accountant_payouts",
            login=accountant.login,
            timeout=180,
        )
        entry = self._payout_entries(payout["id"])
        self.assertTrue(entry.service_stripe_payout_matched)
        self.assertTrue(bank_line.is_reconciled)
        self.assertAlmostEqual(
            self._balance(self.stripe_journal.default_account_id), self._stripe_balance()
        )

    def test_payout_waits_for_the_dispute_it_holds(self):
        invoice, _charge = self._paid_invoice("in_po_early", 9800)
        dispute = stripe_dispute("dp_po_early", invoice)
        self.stripe.add_dispute(dispute)
        payout = self.stripe.add_payout(self.currency.name.lower())
        record = self._post_event("payout.paid", payout)
        self.assertEqual(record.state, "failed")
        self.assertIn("dp_po_early", record.error)
        self.assertFalse(self._payout_entries(payout["id"]), "nothing half-written")
        opened = self._post_event("charge.dispute.created", dispute)
        self.assertEqual(opened.state, "processed", opened.error)
        self.env["service.stripe.event"]._cron_retry_failed()
        self.assertEqual(record.state, "processed", record.error)
        self.assertAlmostEqual(
            self._balance(self.stripe_journal.default_account_id), self._stripe_balance()
        )
