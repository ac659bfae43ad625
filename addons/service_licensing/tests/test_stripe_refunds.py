import stripe

from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin, check_sdk_shape, stripe_priced_invoice


def stripe_credit_note(credit_note_id, invoice, lines, refunded=True):
    """A Stripe credit note of ``invoice`` (SDK's CreditNote): ``lines`` as for invoices."""
    stripe_lines, total_taxes = [], []
    total = 0
    for index, spec in enumerate(lines):
        amount = spec["amount"]
        taxes = []
        if spec.get("tax") is not None:
            tax = round(amount * spec["tax"] / 100)
            taxes.append(
                {
                    "amount": tax,
                    "tax_behavior": "exclusive",
                    "tax_rate_details": {"tax_rate": f"txr_{spec['tax']:g}_exclusive"},
                    "taxability_reason": "standard_rated",
                    "taxable_amount": amount,
                    "type": "tax_rate_details",
                }
            )
            total_taxes.extend(taxes)
            total += amount + tax
        else:
            total += amount
        stripe_lines.append(
            {
                "id": f"cnli_{credit_note_id}_{index}",
                "object": "credit_note_line_item",
                "amount": amount,
                "description": spec.get("description", "Refund"),
                "discount_amount": 0,
                "discount_amounts": [],
                "livemode": False,
                "quantity": spec.get("quantity", 1),
                "taxes": taxes,
                "type": "invoice_line_item",
                "unit_amount": amount,
            }
        )
    return {
        "id": credit_note_id,
        "object": "credit_note",
        "number": f"CN-{credit_note_id}",
        "amount": total,
        "created": 2000,
        "currency": invoice["currency"],
        "customer": invoice["customer"],
        "invoice": invoice["id"],
        "livemode": False,
        "status": "issued",
        "type": "post_payment",
        "subtotal": sum(line["amount"] for line in stripe_lines),
        "total": total,
        "total_taxes": total_taxes,
        "total_excluding_tax": total - sum(t["amount"] for t in total_taxes),
        "refunds": [{"amount_refunded": total, "refund": f"re_{credit_note_id}", "type": "refund"}]
        if refunded
        else [],
        "lines": {"object": "list", "data": stripe_lines, "has_more": False},
    }


def stripe_charge(invoice, amount_refunded):
    return {
        "id": f"ch_{invoice['id']}",
        "object": "charge",
        "amount": invoice["total"],
        "amount_captured": invoice["total"],
        "amount_refunded": amount_refunded,
        "currency": invoice["currency"],
        "customer": invoice["customer"],
        "livemode": False,
        "paid": True,
        "payment_intent": f"pi_{invoice['id']}",
        "refunded": amount_refunded == invoice["total"],
        "status": "succeeded",
    }


class StripeRefundsCase(LicensingSetupMixin, TransactionCase):
    """A 20% exclusive tax mapped, and paid Stripe invoices of the licensing subscription."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.Event = cls.env["service.stripe.event"]
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 20% (Stripe refunds)",
                "amount": 20,
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
            }
        )
        cls.env["service.stripe.tax.map"].create(
            {"rate": 20, "tax_behavior": "exclusive", "tax_id": cls.tax.id}
        )

    def _receive(self, event_type, obj, created=3000):
        return self._receive_new_event("evt_refund", event_type, obj, created)

    def _paid_invoice(self, invoice_id):
        invoice = stripe_priced_invoice(
            invoice_id,
            [{"amount": 9800, "quantity": 2, "tax": 20}],
            sub_id="sub_acme_monthly",
        )
        record = self._receive("invoice.paid", invoice, created=1000)
        self.assertEqual(record.state, "processed", record.error)
        move = self.env["account.move"].search([("service_stripe_invoice_id", "=", invoice_id)])
        self.assertEqual(move.service_stripe_payment_intent_id, f"pi_{invoice_id}")
        return invoice, move

    def _credit_notes(self, move):
        return self.env["account.move"].search([("reversed_entry_id", "=", move.id)])

    def _assert_refunded(self, credit_note, total, tax):
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertAlmostEqual(credit_note.amount_total, total)
        self.assertAlmostEqual(credit_note.amount_tax, tax)
        self.assertTrue(credit_note.currency_id.is_zero(credit_note.amount_residual))
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        refund_payment = credit_note._get_reconciled_payments()
        self.assertEqual(refund_payment.payment_type, "outbound")
        self.assertAlmostEqual(refund_payment.amount, total)


@tagged("post_install", "-at_install")
class TestStripeRefunds(StripeRefundsCase):
    """Refunds as credit notes of the invoice, with their taxes and the refund reconciled."""

    def test_credit_note_full_refund_to_the_card(self):
        invoice, move = self._paid_invoice("in_cn_full")
        credit_note = stripe_credit_note("cn_full", invoice, [{"amount": 9800, "tax": 20}])
        self.assertEqual(check_sdk_shape(credit_note, stripe.CreditNote, "credit_note"), [])
        record = self._receive("credit_note.created", credit_note)
        self.assertEqual(record.state, "processed", record.error)
        odoo_credit_note = self._credit_notes(move)
        self.assertEqual(odoo_credit_note.service_stripe_invoice_id, "cn_full")
        self._assert_refunded(odoo_credit_note, 117.60, 19.60)
        self.assertEqual(record.subscription_id, self.subscription)

    def test_credit_note_partial_refund(self):
        invoice, move = self._paid_invoice("in_cn_part")
        credit_note = stripe_credit_note(
            "cn_part", invoice, [{"amount": 4900, "tax": 20, "description": "1 licence"}]
        )
        self._receive("credit_note.created", credit_note)
        self._assert_refunded(self._credit_notes(move), 58.80, 9.80)
        self.assertTrue(move.currency_id.is_zero(move.amount_residual), "the invoice stays paid")

    def test_credit_note_before_its_invoice_waits_for_it(self):
        invoice = stripe_priced_invoice(
            "in_cn_late", [{"amount": 9800, "tax": 20}], sub_id="sub_acme_monthly"
        )
        credit_note = stripe_credit_note("cn_early", invoice, [{"amount": 9800, "tax": 20}])
        record = self._receive("credit_note.created", credit_note, created=900)
        self.assertEqual(record.state, "failed")
        self.assertIn("retried later", record.error)
        self._receive("invoice.paid", invoice, created=1000)
        self.Event._cron_retry_failed()
        self.assertEqual(record.state, "processed", record.error)
        move = self.env["account.move"].search([("service_stripe_invoice_id", "=", "in_cn_late")])
        self._assert_refunded(self._credit_notes(move), 117.60, 19.60)

    def test_charge_refunded_in_full_reverses_the_invoice(self):
        invoice, move = self._paid_invoice("in_ch_full")
        charge = stripe_charge(invoice, invoice["total"])
        self.assertEqual(check_sdk_shape(charge, stripe.Charge, "charge"), [])
        record = self._receive("charge.refunded", charge)
        self.assertEqual(record.state, "processed", record.error)
        self._assert_refunded(self._credit_notes(move), 117.60, 19.60)

    def test_charge_refunded_in_parts_then_delivered_again(self):
        invoice, move = self._paid_invoice("in_ch_part")
        self._receive("charge.refunded", stripe_charge(invoice, 2940))
        first = self._credit_notes(move)
        self._assert_refunded(first, 29.40, 4.90)
        self._receive("charge.refunded", stripe_charge(invoice, 11760), created=4000)
        second = self._credit_notes(move) - first
        self._assert_refunded(second, 88.20, 14.70)
        again = self._receive("charge.refunded", stripe_charge(invoice, 11760), created=5000)
        self.assertEqual(again.state, "ignored")
        self.assertIn("already booked", again.error)
        self.assertEqual(len(self._credit_notes(move)), 2)
        refunded = sum(self._credit_notes(move).mapped("amount_total"))
        self.assertAlmostEqual(refunded, move.amount_total)

    def test_credit_note_and_charge_refunded_of_one_refund_book_it_once(self):
        for first in ("charge", "credit_note"):
            with self.subTest(first=first):
                invoice, move = self._paid_invoice(f"in_both_{first}")
                events = [
                    ("charge.refunded", stripe_charge(invoice, 5880)),
                    (
                        "credit_note.created",
                        stripe_credit_note(
                            f"cn_both_{first}", invoice, [{"amount": 4900, "tax": 20}]
                        ),
                    ),
                ]
                if first == "credit_note":
                    events.reverse()
                for event_type, obj in events:
                    record = self._receive(event_type, obj)
                    self.assertNotEqual(record.state, "failed", record.error)
                credit_note = self._credit_notes(move)
                self.assertEqual(len(credit_note), 1)
                self.assertEqual(credit_note.service_stripe_invoice_id, f"cn_both_{first}")
                self._assert_refunded(credit_note, 58.80, 9.80)

    def test_refund_of_a_charge_we_do_not_know_is_ignored(self):
        charge = {
            "id": "ch_other",
            "object": "charge",
            "amount": 500,
            "amount_refunded": 500,
            "currency": "usd",
            "payment_intent": "pi_nobody",
        }
        record = self._receive("charge.refunded", charge)
        self.assertEqual(record.state, "ignored")
        self.assertIn("ch_other", record.error)


def stripe_dispute(dispute_id, invoice, status="needs_response"):
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": invoice["total"],
        "currency": invoice["currency"],
        "charge": f"ch_{invoice['id']}",
        "payment_intent": f"pi_{invoice['id']}",
        "created": 3000,
        "livemode": False,
        "reason": "fraudulent",
        "status": status,
        "is_charge_refundable": False,
        "evidence_details": {"due_by": 1900000000, "has_evidence": False, "past_due": False},
    }


@tagged("post_install", "-at_install")
class TestStripeDisputes(StripeRefundsCase):
    """Disputes: the amount Stripe holds is booked, an accountant is asked to answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loss_account = cls.env["account.account"].create(
            {"name": "Stripe fees and disputes", "code": "627100", "account_type": "expense"}
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "service_licensing.fee_account_id", str(cls.loss_account.id)
        )

    def _stripe_journal_balance(self):
        journal = self.env["account.journal"]._service_stripe_journal(self.env.company)
        lines = self.env["account.move.line"].search(
            [("account_id", "=", journal.default_account_id.id), ("parent_state", "=", "posted")]
        )
        return sum(lines.mapped("balance"))

    def _dispute_entries(self, dispute_id):
        return self.env["account.move"].search(
            [("service_stripe_dispute_key", "=like", f"{dispute_id}:%")]
        )

    def test_dispute_opened_then_won(self):
        invoice, move = self._paid_invoice("in_dispute_won")
        before = self._stripe_journal_balance()
        dispute = stripe_dispute("dp_won", invoice)
        self.assertEqual(check_sdk_shape(dispute, stripe.Dispute, "dispute"), [])
        record = self._receive("charge.dispute.created", dispute)
        self.assertEqual(record.state, "processed", record.error)
        self.assertAlmostEqual(self._stripe_journal_balance(), before - 117.60)
        activity = move.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("dp_won", activity.summary)
        self.assertTrue(activity.user_id.has_group("account.group_account_manager"))
        closed = self._receive("charge.dispute.closed", stripe_dispute("dp_won", invoice, "won"))
        self.assertEqual(closed.state, "processed", closed.error)
        self.assertAlmostEqual(self._stripe_journal_balance(), before)
        entries = self._dispute_entries("dp_won")
        self.assertEqual(len(entries), 2)
        receivable = entries.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertFalse(move.activity_ids, "the accountant's activity is done")

    def test_dispute_lost_is_a_loss(self):
        invoice, move = self._paid_invoice("in_dispute_lost")
        before = self._stripe_journal_balance()
        # Closed before its opening was seen: both are booked, once.
        self._receive("charge.dispute.closed", stripe_dispute("dp_lost", invoice, "lost"))
        self._receive("charge.dispute.created", stripe_dispute("dp_lost", invoice), created=2500)
        self.assertEqual(len(self._dispute_entries("dp_lost")), 2)
        self.assertAlmostEqual(self._stripe_journal_balance(), before - 117.60)
        loss = self.env["account.move.line"].search([("account_id", "=", self.loss_account.id)])
        self.assertAlmostEqual(sum(loss.mapped("balance")), 117.60)
        self.assertFalse(move.activity_ids, "nothing to answer: the dispute is closed")
