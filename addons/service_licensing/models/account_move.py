from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from ..utils import stripe_date, stripe_id, to_major_currency_units


class AccountMove(models.Model):
    """Stripe's invoices as Odoo customer invoices and credit notes, right to the cent.

    Stripe sends integers in the currency's minor unit; its line amounts exclude discounts and
    exclusive taxes and include inclusive ones. Each Stripe line becomes an invoice line with
    the mapped Odoo taxes, each of its discounts a negative line with the same taxes (so the
    tax base shrinks as Stripe's does), and the result is checked against Stripe's total and
    tax before it is posted: what accountants see is what Stripe charged.
    """

    _inherit = "account.move"

    service_stripe_invoice_id = fields.Char(
        string="Stripe Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The Stripe invoice (in_...) this customer invoice records.",
        groups="base.group_user",
    )
    service_subscription_id = fields.Many2one(
        "service.subscription",
        string="Licence Subscription",
        groups="base.group_user",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )

    service_stripe_payment_intent_id = fields.Char(
        groups="base.group_user",
        string="Stripe Payment Intent",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The payment intent that paid this Stripe invoice: its charges' refunds and "
        "disputes name it.",
    )
    service_stripe_refunded_minor = fields.Integer(
        groups="base.group_user",
        string="Refunded by Stripe (minor units)",
        copy=False,
        readonly=True,
        help="On a credit note of a Stripe invoice: what Stripe refunded to the card with it.",
    )

    service_stripe_dispute_key = fields.Char(
        groups="base.group_user",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The Stripe dispute and step (opened, closed) this entry books.",
    )

    service_stripe_payout_key = fields.Char(
        groups="base.group_user",
        copy=False,
        readonly=True,
        help="The Stripe payout and step (paid, failed) this entry books.",
    )
    service_stripe_payout_id = fields.Char(
        groups="base.group_user",
        string="Stripe Payout",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    service_stripe_payout_journal_id = fields.Many2one(
        "account.journal",
        groups="base.group_user",
        string="Payout Bank Journal",
        copy=False,
        readonly=True,
        help="The bank journal whose statement line of this payout it is matched with.",
    )
    service_stripe_payout_matched = fields.Boolean(
        groups="base.group_user",
        string="Matched with the Bank",
        compute="_compute_service_stripe_payout_matched",
        help="The payout's transfer is reconciled with its bank statement line (or with the "
        "reversal of a failed payout).",
    )
    service_stripe_payout_amount = fields.Monetary(
        groups="base.group_user",
        string="Paid Out",
        compute="_compute_service_stripe_payout_matched",
        currency_field="currency_id",
    )

    # Two events of one dispute processed at the same moment (Stripe sends `created` and
    # `closed` together when a dispute is lost at once) must not both book a step.
    _service_stripe_dispute_key_uniq = models.UniqueIndex(
        "(service_stripe_dispute_key) WHERE service_stripe_dispute_key IS NOT NULL",
        "This step of the Stripe dispute is already booked.",
    )
    _service_stripe_payout_key_uniq = models.UniqueIndex(
        "(service_stripe_payout_key) WHERE service_stripe_payout_key IS NOT NULL",
        "This Stripe payout is already booked.",
    )
    _service_stripe_invoice_uniq = models.UniqueIndex(
        "(service_stripe_invoice_id) WHERE service_stripe_invoice_id IS NOT NULL",
        "This Stripe invoice is already recorded.",
    )

    @api.depends("line_ids.reconciled", "service_stripe_payout_key")
    def _compute_service_stripe_payout_matched(self):
        for move in self:
            line = move._service_stripe_transfer_line() if move.service_stripe_payout_key else None
            move.service_stripe_payout_matched = bool(line and line.reconciled)
            move.service_stripe_payout_amount = abs(line.amount_currency) if line else 0.0

    def action_service_match_payout(self):
        """Match each payout with its line in the bank statement (one click from the list)."""
        # Reconciling rewrites the bank statement line's entry, which an invoicing user may not
        # write directly: whoever may write these entries may match them.
        self.check_access("write")
        payouts = self.env["service.stripe.payout"].sudo()
        for entry in self.sudo().filtered("service_stripe_payout_key"):
            payouts._match_payout(entry)
        return True

    def _service_stripe_transfer_line(self):
        """The line of a payout entry on the liquidity transfer account."""
        self.ensure_one()
        return self.sudo().line_ids.filtered(
            lambda line: line.account_id == self.company_id.sudo().transfer_account_id
        )[:1]

    # ------------------------------------------------------------------
    # Amounts and currencies
    # ------------------------------------------------------------------

    @api.model
    def _service_stripe_currency(self, code, reference):
        currency = (
            self.env["res.currency"]
            .sudo()
            .with_context(active_test=False)
            .search([("name", "=", (code or "").upper())], limit=1)
        )
        if not currency:
            raise UserError(
                self.env._(
                    "Stripe %(reference)s is in an unknown currency %(currency)s.",
                    reference=reference,
                    currency=code,
                )
            )
        if not currency.active:
            currency.active = True
        return currency

    # ------------------------------------------------------------------
    # Stripe invoices
    # ------------------------------------------------------------------

    @api.model
    def _service_stripe_record_invoice(self, invoice, partner, subscription=None, paid=False):
        """The posted invoice (or credit note, for a negative total) of a Stripe invoice,
        created once; paid and reconciled when ``paid``.

        :param dict invoice: the Stripe invoice
        :param partner: the customer (commercial partner)
        :param subscription: the ``service.subscription`` it bills, if any
        """
        Move = self.env["account.move"].sudo()
        move = Move.search([("service_stripe_invoice_id", "=", invoice["id"])], limit=1)
        if not move:
            move = Move.create(self._service_stripe_invoice_values(invoice, partner, subscription))
            self._service_stripe_check_totals(move, invoice)
            move.action_post()
        if not move.service_stripe_payment_intent_id and self._service_stripe_payment_intent(
            invoice
        ):
            # Known once paid: the refunds and disputes of its charge name it.
            move.service_stripe_payment_intent_id = self._service_stripe_payment_intent(invoice)
        if paid and move.move_type == "out_invoice" and move.payment_state == "not_paid":
            self.env["account.payment"]._service_stripe_register_payment(move, invoice)
        return move

    @api.model
    def _service_stripe_line_product(self, line, subscription):
        pricing = line.get("pricing") or {}
        price = (pricing.get("price_details") or {}).get("price") or line.get("price")
        price_id = stripe_id(price)
        product = self.env["product.product"]
        if price_id:
            product = product.sudo().search([("service_stripe_price_id", "=", price_id)], limit=1)
        return product or (subscription.product_id if subscription else product)

    @api.model
    def _service_stripe_invoice_values(self, invoice, partner, subscription):
        reference = invoice.get("number") or invoice["id"]
        currency = self._service_stripe_currency(invoice.get("currency"), reference)
        company = subscription.company_id if subscription else self.env.company
        total = invoice.get("total") or 0
        # A negative total (a proration credit) is a credit note of the opposite amounts.
        sign = -1 if total < 0 else 1
        lines = self._service_stripe_lines_values(
            (invoice.get("lines") or {}).get("data") or [],
            currency,
            company,
            reference,
            sign,
            subscription,
        )
        if not lines:
            lines.append(
                Command.create(
                    {
                        "product_id": subscription.product_id.id if subscription else False,
                        "name": reference,
                        "quantity": 1,
                        "price_unit": to_major_currency_units(total, currency) * sign,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        return {
            "move_type": "out_refund" if sign < 0 else "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "invoice_date": stripe_date(invoice.get("created")) or False,
            "ref": reference,
            "service_stripe_invoice_id": invoice["id"],
            "service_stripe_payment_intent_id": self._service_stripe_payment_intent(invoice),
            "service_subscription_id": subscription.id if subscription else False,
            "invoice_line_ids": lines,
        }

    @api.model
    def _service_stripe_payment_intent(self, invoice):
        """The payment intent that paid a Stripe invoice (what its charges and refunds name)."""
        if isinstance(invoice.get("payment_intent"), str):  # API versions before 2025
            return invoice["payment_intent"]
        for payment in (invoice.get("payments") or {}).get("data") or []:
            intent = (payment.get("payment") or {}).get("payment_intent")
            if isinstance(intent, dict):
                intent = intent.get("id")
            if intent:
                return intent
        return False

    @api.model
    def _service_stripe_lines_values(
        self, stripe_lines, currency, company, reference, sign, subscription
    ):
        """Invoice lines of Stripe's invoice or credit note lines (one shape for both)."""
        lines = []
        for line in stripe_lines:
            taxes = self.env["account.tax"]
            for amount, taxable, behavior, rate_id in self.env[
                "service.stripe.tax.map"
            ]._line_tax_entries(line):
                tax = self.env["service.stripe.tax.map"]._map_tax(
                    company, amount, taxable, behavior, rate_id, reference
                )
                if tax:
                    taxes |= tax
            product = self._service_stripe_line_product(line, subscription)
            amount = to_major_currency_units(line.get("amount"), currency) * sign
            quantity = line.get("quantity") or 1
            price_unit = float_round(amount / quantity, precision_rounding=currency.rounding)
            if float_compare(price_unit * quantity, amount, precision_rounding=currency.rounding):
                # Not a whole unit price in the currency: one line of the whole amount.
                price_unit, quantity = amount, 1
            name = line.get("description") or product.display_name or reference
            lines.append(
                Command.create(
                    {
                        "product_id": product.id or False,
                        "name": name,
                        "quantity": quantity,
                        "price_unit": price_unit,
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            )
            discounts = sum(d.get("amount") or 0 for d in line.get("discount_amounts") or [])
            credit_amounts = sum(
                c.get("amount") or 0
                for c in line.get("pretax_credit_amounts") or []
                if c.get("type") == "credit_balance_transaction"
            )
            for reduction, label in (
                (discounts, self.env._("Discount on %(line)s", line=name)),
                (credit_amounts, self.env._("Credit applied to %(line)s", line=name)),
            ):
                if reduction:
                    lines.append(
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": -to_major_currency_units(reduction, currency) * sign,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    )
        return lines

    @api.model
    def _service_stripe_tax_total(self, invoice):
        if invoice.get("total_taxes") is not None:
            return sum(t.get("amount") or 0 for t in invoice["total_taxes"])
        if invoice.get("tax") is not None:  # API versions before 2025
            return invoice["tax"]
        return None

    @api.model
    def _service_stripe_check_totals(self, move, invoice):
        """Refuse to post an invoice whose total or tax differ from Stripe's."""
        currency = move.currency_id
        expected_total = abs(to_major_currency_units(invoice.get("total"), currency))
        mismatch = float_compare(
            move.amount_total, expected_total, precision_rounding=currency.rounding
        )
        tax_minor = self._service_stripe_tax_total(invoice)
        expected_tax = (
            abs(to_major_currency_units(tax_minor, currency)) if tax_minor is not None else None
        )
        if expected_tax is not None and not mismatch:
            mismatch = float_compare(
                move.amount_tax, expected_tax, precision_rounding=currency.rounding
            )
        if mismatch:
            raise UserError(
                self.env._(
                    "Stripe invoice %(invoice)s totals %(stripe_total)s (tax %(stripe_tax)s) "
                    "but Odoo computes %(odoo_total)s (tax %(odoo_tax)s): check the Odoo taxes "
                    "mapped to Stripe's rates (price included or not, rounding).",
                    invoice=invoice["id"],
                    stripe_total=expected_total,
                    stripe_tax=expected_tax if expected_tax is not None else "-",
                    odoo_total=move.amount_total,
                    odoo_tax=move.amount_tax,
                )
            )

    # ------------------------------------------------------------------
    # Stripe credit notes
    # ------------------------------------------------------------------

    @api.model
    def _service_stripe_invoice_move(self, stripe_invoice_id):
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [("service_stripe_invoice_id", "=", stripe_invoice_id), ("state", "=", "posted")],
                limit=1,
            )
        )

    @api.model
    def _service_stripe_refunded_on(self, move):
        """What was already booked as refunded to the card for an invoice (minor units)."""
        credit_notes = (
            self.env["account.move"]
            .sudo()
            .search([("reversed_entry_id", "=", move.id), ("state", "=", "posted")])
        )
        return sum(credit_notes.mapped("service_stripe_refunded_minor"))

    @api.model
    def _service_stripe_record_credit_note(self, credit_note):
        """A Stripe credit note as an Odoo credit note of its invoice, with Stripe's lines and
        taxes; what it refunded to the card is paid back and reconciled, what it left on the
        invoice (not paid yet) or on the customer's balance is matched with what it owes.

        :return: the credit note, or ``None`` if its invoice is not recorded yet (the caller
            retries later)
        """
        Move = self.env["account.move"].sudo()
        move = Move.search([("service_stripe_invoice_id", "=", credit_note["id"])], limit=1)
        if move:
            return move
        invoice_id = credit_note.get("invoice")
        invoice_id = stripe_id(invoice_id)
        invoice_move = self._service_stripe_invoice_move(invoice_id)
        if not invoice_move:
            raise UserError(
                self.env._(
                    "Stripe credit note %(credit_note)s is for invoice %(invoice)s, not recorded "
                    "yet: retried later.",
                    credit_note=credit_note["id"],
                    invoice=invoice_id,
                )
            )
        currency = invoice_move.currency_id
        reference = credit_note.get("number") or credit_note["id"]
        refunded = sum(
            (refund.get("amount_refunded") or 0) for refund in credit_note.get("refunds") or []
        ) or (credit_note.get("amount") if credit_note.get("refund") else 0)
        if refunded:
            # Its refund may have been booked already from `charge.refunded` (Stripe sends
            # both, in any order): that credit note stands for this one.
            booked = Move.search(
                [
                    ("reversed_entry_id", "=", invoice_move.id),
                    ("state", "=", "posted"),
                    ("service_stripe_invoice_id", "=", False),
                    ("service_stripe_refunded_minor", "=", refunded),
                ],
                limit=1,
            )
            if booked:
                booked.write({"service_stripe_invoice_id": credit_note["id"], "ref": reference})
                return booked
        lines = self._service_stripe_lines_values(
            (credit_note.get("lines") or {}).get("data") or [],
            currency,
            invoice_move.company_id,
            reference,
            1,
            invoice_move.service_subscription_id,
        )
        move = Move.create(
            {
                "move_type": "out_refund",
                "partner_id": invoice_move.partner_id.id,
                "company_id": invoice_move.company_id.id,
                "currency_id": currency.id,
                "invoice_date": stripe_date(credit_note.get("created")) or False,
                "ref": reference,
                "reversed_entry_id": invoice_move.id,
                "service_stripe_invoice_id": credit_note["id"],
                "service_stripe_refunded_minor": refunded,
                "service_subscription_id": invoice_move.service_subscription_id.id,
                "invoice_line_ids": lines,
            }
        )
        self._service_stripe_check_totals(move, credit_note)
        move.action_post()
        self.env["account.payment"]._service_stripe_settle_credit_note(move, invoice_move, refunded)
        return move
