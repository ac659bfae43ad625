from odoo import Command, api, fields, models
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_stripe import const as stripe_const
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round


class ServiceStripeAccounting(models.AbstractModel):
    """Stripe's invoices as Odoo customer invoices and credit notes, right to the cent.

    Stripe sends integers in the currency's minor unit; its line amounts exclude discounts and
    exclusive taxes and include inclusive ones. Each Stripe line becomes an invoice line with
    the mapped Odoo taxes, each of its discounts a negative line with the same taxes (so the
    tax base shrinks as Stripe's does), and the result is checked against Stripe's total and
    tax before it is posted: what accountants see is what Stripe charged.
    """

    _name = "service.stripe.accounting"
    _description = "Stripe Accounting"

    # ------------------------------------------------------------------
    # Amounts and currencies
    # ------------------------------------------------------------------

    @api.model
    def _currency(self, code, reference):
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

    @api.model
    def _to_major(self, minor_amount, currency):
        """A Stripe amount (minor units, Stripe's own decimals for its special currencies)."""
        return payment_utils.to_major_currency_units(
            minor_amount or 0,
            currency,
            arbitrary_decimal_number=stripe_const.CURRENCY_DECIMALS.get(currency.name),
        )

    # ------------------------------------------------------------------
    # Taxes
    # ------------------------------------------------------------------

    @api.model
    def _line_tax_entries(self, line):
        """The taxes of a Stripe invoice line as (amount, taxable_amount, behavior, rate id).

        API versions from 2025 send ``taxes`` with ``tax_behavior`` and ``tax_rate_details``;
        older ones ``tax_amounts`` with ``inclusive`` and ``tax_rate``.
        """
        entries = []
        for tax in line.get("taxes") or []:
            details = tax.get("tax_rate_details") or {}
            entries.append(
                (
                    tax.get("amount") or 0,
                    tax.get("taxable_amount"),
                    tax.get("tax_behavior") or "exclusive",
                    details.get("tax_rate") if isinstance(details, dict) else None,
                )
            )
        for tax in line.get("tax_amounts") or []:
            rate = tax.get("tax_rate")
            entries.append(
                (
                    tax.get("amount") or 0,
                    tax.get("taxable_amount"),
                    "inclusive" if tax.get("inclusive") else "exclusive",
                    rate.get("id") if isinstance(rate, dict) else rate,
                )
            )
        return entries

    @api.model
    def _map_tax(self, company, amount, taxable_amount, behavior, rate_id, reference):
        """The Odoo tax mapped to one Stripe line tax; raise with what to configure if none."""
        mappings = (
            self.env["service.stripe.tax.map"]
            .sudo()
            .search([("company_id", "=", company.id), ("tax_behavior", "=", behavior)])
        )
        by_id = mappings.filtered(lambda m: rate_id and m.stripe_tax_rate_id == rate_id)
        if by_id:
            return by_id[0].tax_id
        rate = None
        if taxable_amount:
            rate = amount * 100.0 / taxable_amount
            # The mapping whose rate gives Stripe's rounded tax amount on Stripe's base.
            candidates = mappings.filtered(
                lambda m: (
                    not m.stripe_tax_rate_id
                    and abs(round(taxable_amount * m.rate / 100.0) - amount) <= 1
                )
            )
            if candidates:
                return min(candidates, key=lambda m: abs(m.rate - rate)).tax_id
        elif not amount:
            return None  # nothing taxed on this line (a fully discounted one)
        raise UserError(
            self.env._(
                "Stripe %(reference)s has a %(rate)s %(behavior)s tax (%(rate_id)s) that is "
                "mapped to no Odoo tax: add it in Settings > Field Service > Stripe Tax "
                "Mapping, the event is then processed again.",
                reference=reference,
                rate=f"{rate:.4g}%" if rate is not None else self.env._("(unknown rate)"),
                behavior=behavior,
                rate_id=rate_id or "-",
            )
        )

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------

    @api.model
    def _record_invoice(self, invoice, partner, subscription=None, paid=False):
        """The posted invoice (or credit note, for a negative total) of a Stripe invoice,
        created once; paid and reconciled when ``paid``.

        :param dict invoice: the Stripe invoice
        :param partner: the customer (commercial partner)
        :param subscription: the ``service.subscription`` it bills, if any
        """
        Move = self.env["account.move"].sudo()
        move = Move.search([("service_stripe_invoice_id", "=", invoice["id"])], limit=1)
        if not move:
            move = Move.create(self._invoice_values(invoice, partner, subscription))
            self._check_totals(move, invoice)
            move.action_post()
        if not move.service_stripe_payment_intent_id and self._payment_intent(invoice):
            # Known once paid: the refunds and disputes of its charge name it.
            move.service_stripe_payment_intent_id = self._payment_intent(invoice)
        if paid and move.move_type == "out_invoice" and move.payment_state == "not_paid":
            self._register_payment(move, invoice)
        return move

    @api.model
    def _line_product(self, line, subscription):
        pricing = line.get("pricing") or {}
        price = (pricing.get("price_details") or {}).get("price") or line.get("price")
        price_id = price.get("id") if isinstance(price, dict) else price
        product = self.env["product.product"]
        if price_id:
            product = product.sudo().search([("stripe_price_id", "=", price_id)], limit=1)
        return product or (subscription.product_id if subscription else product)

    @api.model
    def _invoice_values(self, invoice, partner, subscription):
        reference = invoice.get("number") or invoice["id"]
        currency = self._currency(invoice.get("currency"), reference)
        company = subscription.company_id if subscription else self.env.company
        total = invoice.get("total") or 0
        # A negative total (a proration credit) is a credit note of the opposite amounts.
        sign = -1 if total < 0 else 1
        lines = self._lines_values(
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
                        "price_unit": self._to_major(total, currency) * sign,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        return {
            "move_type": "out_refund" if sign < 0 else "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "invoice_date": self.env["service.subscription"]._stripe_date(invoice.get("created"))
            or False,
            "ref": reference,
            "service_stripe_invoice_id": invoice["id"],
            "service_stripe_payment_intent_id": self._payment_intent(invoice),
            "service_subscription_id": subscription.id if subscription else False,
            "invoice_line_ids": lines,
        }

    @api.model
    def _payment_intent(self, invoice):
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
    def _lines_values(self, stripe_lines, currency, company, reference, sign, subscription):
        """Invoice lines of Stripe's invoice or credit note lines (one shape for both)."""
        lines = []
        for line in stripe_lines:
            taxes = self.env["account.tax"]
            for amount, taxable, behavior, rate_id in self._line_tax_entries(line):
                tax = self._map_tax(company, amount, taxable, behavior, rate_id, reference)
                if tax:
                    taxes |= tax
            product = self._line_product(line, subscription)
            amount = self._to_major(line.get("amount"), currency) * sign
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
                                "price_unit": -self._to_major(reduction, currency) * sign,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    )
        return lines

    @api.model
    def _stripe_tax_total(self, invoice):
        if invoice.get("total_taxes") is not None:
            return sum(t.get("amount") or 0 for t in invoice["total_taxes"])
        if invoice.get("tax") is not None:  # API versions before 2025
            return invoice["tax"]
        return None

    @api.model
    def _check_totals(self, move, invoice):
        """Refuse to post an invoice whose total or tax differ from Stripe's."""
        currency = move.currency_id
        expected_total = abs(self._to_major(invoice.get("total"), currency))
        mismatch = float_compare(
            move.amount_total, expected_total, precision_rounding=currency.rounding
        )
        tax_minor = self._stripe_tax_total(invoice)
        expected_tax = abs(self._to_major(tax_minor, currency)) if tax_minor is not None else None
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

    @api.model
    def _journal(self, company):
        provider = self.env["payment.provider"]._service_stripe_provider()
        setting = self.env["ir.config_parameter"].sudo().get_param("service_licensing.journal_id")
        journal = (
            (self.env["account.journal"].sudo().browse(int(setting)).exists() if setting else None)
            or provider.journal_id
            or self.env["account.journal"]
            .sudo()
            .search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        )
        if not journal:
            raise UserError(self.env._("No bank journal records what Stripe collected."))
        return journal

    @api.model
    def _register_payment(self, move, invoice):
        """Record what Stripe collected; a customer balance Stripe applied is matched with the
        customer's open Stripe credit notes."""
        currency = move.currency_id
        paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
        amount_paid = invoice.get("amount_paid")
        amount = self._to_major(amount_paid, currency) if amount_paid is not None else None
        payments = self.env["account.payment"]
        if amount is None or not float_is_zero(amount, precision_rounding=currency.rounding):
            values = {
                "journal_id": self._journal(move.company_id).id,
                "payment_date": self.env["service.subscription"]._stripe_date(paid_at)
                or move.invoice_date,
                "communication": move.ref,
            }
            if amount is not None:
                values["amount"] = amount
                values["payment_difference_handling"] = "open"
            payments = (
                self.env["account.payment.register"]
                .sudo()
                .with_context(active_model="account.move", active_ids=move.ids)
                .create(values)
                ._create_payments()
            )
        if not move.currency_id.is_zero(move.amount_residual):
            self._apply_credit_notes(move)
        return payments

    @api.model
    def _apply_credit_notes(self, move):
        credit_notes = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                    ("partner_id", "=", move.partner_id.id),
                    ("currency_id", "=", move.currency_id.id),
                    ("service_stripe_invoice_id", "!=", False),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                order="invoice_date, id",
            )
        )
        receivable = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
        )
        for credit_note in credit_notes:
            if move.currency_id.is_zero(move.amount_residual):
                break
            lines = credit_note.line_ids.filtered(
                lambda line: line.account_id == receivable.account_id and not line.reconciled
            )
            (receivable | lines).reconcile()

    # ------------------------------------------------------------------
    # Refunds
    # ------------------------------------------------------------------

    @api.model
    def _invoice_move(self, stripe_invoice_id):
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [("service_stripe_invoice_id", "=", stripe_invoice_id), ("state", "=", "posted")],
                limit=1,
            )
        )

    @api.model
    def _refunded_on(self, move):
        """What was already booked as refunded to the card for an invoice (minor units)."""
        credit_notes = (
            self.env["account.move"]
            .sudo()
            .search([("reversed_entry_id", "=", move.id), ("state", "=", "posted")])
        )
        return sum(credit_notes.mapped("service_stripe_refunded_minor"))

    @api.model
    def _record_credit_note(self, credit_note):
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
        invoice_id = invoice_id.get("id") if isinstance(invoice_id, dict) else invoice_id
        invoice_move = self._invoice_move(invoice_id)
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
        lines = self._lines_values(
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
                "invoice_date": self.env["service.subscription"]._stripe_date(
                    credit_note.get("created")
                )
                or False,
                "ref": reference,
                "reversed_entry_id": invoice_move.id,
                "service_stripe_invoice_id": credit_note["id"],
                "service_stripe_refunded_minor": refunded,
                "service_subscription_id": invoice_move.service_subscription_id.id,
                "invoice_line_ids": lines,
            }
        )
        self._check_totals(move, credit_note)
        move.action_post()
        self._settle_credit_note(move, invoice_move, refunded)
        return move

    @api.model
    def _record_charge_refund(self, charge):
        """Refunds of a charge made without a Stripe credit note (from the Dashboard's charge):
        a credit note of the invoice for what was refunded since the last one booked, its
        lines the invoice's in proportion (a full refund reverses the invoice exactly).

        :return: the credit note, or a reason why nothing was booked
        """
        invoice_id = charge.get("invoice")
        invoice_id = invoice_id.get("id") if isinstance(invoice_id, dict) else invoice_id
        invoice_move = self._invoice_move(invoice_id) if invoice_id else None
        intent = charge.get("payment_intent")
        intent = intent.get("id") if isinstance(intent, dict) else intent
        if not invoice_move and intent:
            invoice_move = (
                self.env["account.move"]
                .sudo()
                .search(
                    [("service_stripe_payment_intent_id", "=", intent), ("state", "=", "posted")],
                    limit=1,
                )
            )
        if not invoice_move:
            return self.env._(
                "Charge %(charge)s pays no Stripe invoice recorded here: not booked.",
                charge=charge.get("id"),
            )
        currency = invoice_move.currency_id
        new_minor = (charge.get("amount_refunded") or 0) - self._refunded_on(invoice_move)
        if new_minor <= 0:
            return self.env._(
                "The refunds of charge %(charge)s are already booked.", charge=charge.get("id")
            )
        amount = self._to_major(new_minor, currency)
        if currency.compare_amounts(amount, invoice_move.amount_total) == 0:
            credit_note = invoice_move._reverse_moves(
                [{"ref": self.env._("Refund of %(ref)s", ref=invoice_move.ref)}]
            )
        else:
            credit_note = self._proportional_credit_note(invoice_move, amount)
        credit_note.write(
            {
                "service_stripe_refunded_minor": new_minor,
                "service_subscription_id": invoice_move.service_subscription_id.id,
            }
        )
        credit_note.action_post()
        self._settle_credit_note(credit_note, invoice_move, new_minor)
        return credit_note

    @api.model
    def _proportional_credit_note(self, invoice_move, amount):
        """A credit note of ``amount`` (tax included) spread over the invoice's lines with
        their taxes; a cent lost to rounding goes on the first line."""
        currency = invoice_move.currency_id
        ratio = amount / invoice_move.amount_total
        lines = [
            Command.create(
                {
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": 1,
                    "price_unit": currency.round(line.price_total * ratio)
                    if line.tax_ids.filtered("price_include")
                    else currency.round(line.price_subtotal * ratio),
                    "tax_ids": [Command.set(line.tax_ids.ids)],
                }
            )
            for line in invoice_move.invoice_line_ids
        ]
        credit_note = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice_move.partner_id.id,
                    "company_id": invoice_move.company_id.id,
                    "currency_id": currency.id,
                    "ref": self.env._("Partial refund of %(ref)s", ref=invoice_move.ref),
                    "reversed_entry_id": invoice_move.id,
                    "invoice_line_ids": lines,
                }
            )
        )
        difference = currency.round(amount - credit_note.amount_total)
        if not currency.is_zero(difference):
            credit_note.invoice_line_ids.create(
                {
                    "move_id": credit_note.id,
                    "name": self.env._("Rounding of the partial refund"),
                    "quantity": 1,
                    "price_unit": difference,
                    "tax_ids": [Command.clear()],
                }
            )
        return credit_note

    @api.model
    def _settle_credit_note(self, credit_note, invoice_move, refunded_minor):
        """Pay back what Stripe refunded to the card (reconciled), and match the rest of the
        credit with the invoice if it is still open."""
        currency = credit_note.currency_id
        if refunded_minor:
            (
                self.env["account.payment.register"]
                .sudo()
                .with_context(active_model="account.move", active_ids=credit_note.ids)
                .create(
                    {
                        "journal_id": self._journal(credit_note.company_id).id,
                        "payment_date": credit_note.invoice_date,
                        "amount": self._to_major(refunded_minor, currency),
                        "payment_difference_handling": "open",
                        "communication": credit_note.ref,
                    }
                )
                ._create_payments()
            )
        if not currency.is_zero(credit_note.amount_residual) and not currency.is_zero(
            invoice_move.amount_residual
        ):
            lines = (credit_note | invoice_move).line_ids.filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
            )
            lines.reconcile()

    # ------------------------------------------------------------------
    # Disputes
    # ------------------------------------------------------------------

    @api.model
    def _loss_account(self):
        setting = (
            self.env["ir.config_parameter"].sudo().get_param("service_licensing.fee_account_id")
        )
        account = self.env["account.account"].sudo().browse(int(setting or 0)).exists()
        if not account:
            raise UserError(
                self.env._(
                    "Set the account for Stripe fees and lost disputes in Settings > Field "
                    "Service > Technician Licences: the event is then processed again."
                )
            )
        return account

    @api.model
    def _dispute_entry(self, invoice_move, dispute, key, label, debit_account, credit_account):
        """One journal entry of a dispute in the Stripe journal, created once per ``key``."""
        Move = self.env["account.move"].sudo()
        entry = Move.search([("service_stripe_dispute_key", "=", key)], limit=1)
        if entry:
            return entry
        currency = invoice_move.currency_id
        amount = self._to_major(dispute.get("amount"), currency)
        company = invoice_move.company_id
        balance = currency._convert(amount, company.currency_id, company, invoice_move.date)
        journal = self._journal(company)
        common = {"partner_id": invoice_move.partner_id.id, "currency_id": currency.id}
        entry = Move.create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": self.env["service.subscription"]._stripe_date(dispute.get("created"))
                or fields.Date.context_today(self),
                "ref": label,
                "service_stripe_dispute_key": key,
                "line_ids": [
                    Command.create(
                        {
                            **common,
                            "name": label,
                            "account_id": debit_account.id,
                            "debit": balance,
                            "amount_currency": amount,
                        }
                    ),
                    Command.create(
                        {
                            **common,
                            "name": label,
                            "account_id": credit_account.id,
                            "credit": balance,
                            "amount_currency": -amount,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        return entry

    @api.model
    def _dispute_invoice(self, dispute):
        intent = dispute.get("payment_intent")
        intent = intent.get("id") if isinstance(intent, dict) else intent
        if not intent:
            return self.env["account.move"]
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [("service_stripe_payment_intent_id", "=", intent), ("state", "=", "posted")],
                limit=1,
            )
        )

    @api.model
    def _record_dispute(self, dispute, closed=False):
        """A dispute of a charge that paid one of our invoices.

        Opened: Stripe takes the disputed amount from the balance, so it leaves the Stripe
        journal and the customer owes it again (an activity asks an accountant to answer in
        Stripe before the deadline). Won: Stripe gives it back. Lost: it is a loss.

        :return: the journal entry, or a reason why nothing was booked
        """
        invoice_move = self._dispute_invoice(dispute)
        if not invoice_move:
            return self.env._(
                "Dispute %(dispute)s is about a payment of no invoice recorded here.",
                dispute=dispute.get("id"),
            )
        journal_account = self._journal(invoice_move.company_id).default_account_id
        receivable = invoice_move.partner_id.with_company(
            invoice_move.company_id
        ).property_account_receivable_id
        currency = invoice_move.currency_id
        amount = self._to_major(dispute.get("amount"), currency)
        opened = self._dispute_entry(
            invoice_move,
            dispute,
            f"{dispute['id']}:opened",
            self.env._(
                "Dispute %(dispute)s on %(ref)s", dispute=dispute["id"], ref=invoice_move.ref
            ),
            receivable,
            journal_account,
        )
        already_closed = (
            self.env["account.move"]
            .sudo()
            .search_count([("service_stripe_dispute_key", "=", f"{dispute['id']}:closed")])
        )
        if not closed and not already_closed:
            due = ((dispute.get("evidence_details") or {}).get("due_by")) or None
            invoice_move.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.env["service.subscription"]._stripe_date(due) or None,
                summary=self.env._("Stripe dispute %(dispute)s", dispute=dispute["id"]),
                note=self.env._(
                    "The customer disputed %(amount)s %(currency)s (%(reason)s): answer it in "
                    "Stripe. Stripe holds the amount until the dispute is closed.",
                    amount=amount,
                    currency=currency.name,
                    reason=dispute.get("reason") or "-",
                ),
                user_id=self._accountant().id,
            )
            return opened
        if not closed:
            return opened  # the closing came first: nothing left to answer
        won = dispute.get("status") == "won"
        closing = self._dispute_entry(
            invoice_move,
            dispute,
            f"{dispute['id']}:closed",
            self.env._(
                "Dispute %(dispute)s %(outcome)s",
                dispute=dispute["id"],
                outcome=self.env._("won") if won else self.env._("lost"),
            ),
            journal_account if won else self._loss_account(),
            receivable,
        )
        (opened | closing).line_ids.filtered(
            lambda line: line.account_id == receivable and not line.reconciled
        ).reconcile()
        invoice_move.activity_feedback(
            ["mail.mail_activity_data_todo"],
            feedback=self.env._("Dispute %(outcome)s.", outcome=dispute.get("status")),
        )
        return closing

    @api.model
    def _accountant(self):
        group = self.env.ref("account.group_account_manager")
        return group.sudo().all_user_ids.filtered(lambda user: user.active and not user.share)[
            :1
        ] or self.env.ref("base.user_admin")
