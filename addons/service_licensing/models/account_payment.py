from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..utils import stripe_date, stripe_id, to_major_currency_units


class AccountPayment(models.Model):
    """What Stripe collected, refunded and had disputed, paid and reconciled in Invoicing."""

    _inherit = "account.payment"

    # ------------------------------------------------------------------
    # Payments
    # ------------------------------------------------------------------

    @api.model
    def _service_stripe_register_payment(self, move, invoice):
        """Record what Stripe collected; a customer balance Stripe applied is matched with the
        customer's open Stripe credit notes."""
        currency = move.currency_id
        paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
        amount_paid = invoice.get("amount_paid")
        amount = to_major_currency_units(amount_paid, currency) if amount_paid is not None else None
        payments = self.env["account.payment"]
        if amount is None or not float_is_zero(amount, precision_rounding=currency.rounding):
            values = {
                "journal_id": self.env["account.journal"]
                ._service_stripe_journal(move.company_id)
                .id,
                "payment_date": stripe_date(paid_at) or move.invoice_date,
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
            self._service_stripe_apply_credit_notes(move)
        return payments

    @api.model
    def _service_stripe_apply_credit_notes(self, move):
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
    def _service_stripe_record_charge_refund(self, charge):
        """Refunds of a charge made without a Stripe credit note (from the Dashboard's charge):
        a credit note of the invoice for what was refunded since the last one booked, its
        lines the invoice's in proportion (a full refund reverses the invoice exactly).

        :return: the credit note, or a reason why nothing was booked
        """
        invoice_id = charge.get("invoice")
        invoice_id = stripe_id(invoice_id)
        invoice_move = (
            self.env["account.move"]._service_stripe_invoice_move(invoice_id)
            if invoice_id
            else None
        )
        intent = charge.get("payment_intent")
        intent = stripe_id(intent)
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
        new_minor = (charge.get("amount_refunded") or 0) - self.env[
            "account.move"
        ]._service_stripe_refunded_on(invoice_move)
        if new_minor <= 0:
            return self.env._(
                "The refunds of charge %(charge)s are already booked.", charge=charge.get("id")
            )
        amount = to_major_currency_units(new_minor, currency)
        if currency.compare_amounts(amount, invoice_move.amount_total) == 0:
            credit_note = invoice_move._reverse_moves(
                [{"ref": self.env._("Refund of %(ref)s", ref=invoice_move.ref)}]
            )
        else:
            credit_note = self._service_stripe_proportional_credit_note(invoice_move, amount)
        credit_note.write(
            {
                "service_stripe_refunded_minor": new_minor,
                "service_subscription_id": invoice_move.service_subscription_id.id,
            }
        )
        credit_note.action_post()
        self._service_stripe_settle_credit_note(credit_note, invoice_move, new_minor)
        return credit_note

    @api.model
    def _service_stripe_proportional_credit_note(self, invoice_move, amount):
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
    def _service_stripe_settle_credit_note(self, credit_note, invoice_move, refunded_minor):
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
                        "journal_id": self.env["account.journal"]
                        ._service_stripe_journal(credit_note.company_id)
                        .id,
                        "payment_date": credit_note.invoice_date,
                        "amount": to_major_currency_units(refunded_minor, currency),
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
    def _service_stripe_loss_account(self):
        account_id = self.env["ir.config_parameter"]._service_get_int(
            "service_licensing.fee_account_id", 0
        )
        account = self.env["account.account"].sudo().browse(account_id).exists()
        if not account:
            raise UserError(
                self.env._(
                    "Set the account for Stripe fees and lost disputes in Settings > Field "
                    "Service > Technician Licences: the event is then processed again."
                )
            )
        return account

    @api.model
    def _service_stripe_dispute_entry(
        self, invoice_move, dispute, key, label, debit_account, credit_account
    ):
        """One journal entry of a dispute in the Stripe journal, created once per ``key``."""
        Move = self.env["account.move"].sudo()
        entry = Move.search([("service_stripe_dispute_key", "=", key)], limit=1)
        if entry:
            return entry
        currency = invoice_move.currency_id
        amount = to_major_currency_units(dispute.get("amount"), currency)
        company = invoice_move.company_id
        balance = currency._convert(amount, company.currency_id, company, invoice_move.date)
        journal = self.env["account.journal"]._service_stripe_journal(company)
        common = {"partner_id": invoice_move.partner_id.id, "currency_id": currency.id}
        entry = Move.create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": stripe_date(dispute.get("created")) or fields.Date.context_today(self),
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
    def _service_stripe_dispute_invoice(self, dispute):
        intent = dispute.get("payment_intent")
        intent = stripe_id(intent)
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
    def _service_stripe_record_dispute(self, dispute, closed=False):
        """A dispute of a charge that paid one of our invoices.

        Opened: Stripe takes the disputed amount from the balance, so it leaves the Stripe
        journal and the customer owes it again (an activity asks an accountant to answer in
        Stripe before the deadline). Won: Stripe gives it back. Lost: it is a loss.

        :return: the journal entry, or a reason why nothing was booked
        """
        invoice_move = self._service_stripe_dispute_invoice(dispute)
        if not invoice_move:
            return self.env._(
                "Dispute %(dispute)s is about a payment of no invoice recorded here.",
                dispute=dispute.get("id"),
            )
        journal_account = (
            self.env["account.journal"]
            ._service_stripe_journal(invoice_move.company_id)
            .default_account_id
        )
        receivable = invoice_move.partner_id.with_company(
            invoice_move.company_id
        ).property_account_receivable_id
        currency = invoice_move.currency_id
        amount = to_major_currency_units(dispute.get("amount"), currency)
        opened = self._service_stripe_dispute_entry(
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
                date_deadline=stripe_date(due) or None,
                summary=self.env._("Stripe dispute %(dispute)s", dispute=dispute["id"]),
                note=self.env._(
                    "The customer disputed %(amount)s %(currency)s (%(reason)s): answer it in "
                    "Stripe. Stripe holds the amount until the dispute is closed.",
                    amount=amount,
                    currency=currency.name,
                    reason=dispute.get("reason") or "-",
                ),
                user_id=self._service_stripe_accountant().id,
            )
            return opened
        if not closed:
            return opened  # the closing came first: nothing left to answer
        won = dispute.get("status") == "won"
        closing = self._service_stripe_dispute_entry(
            invoice_move,
            dispute,
            f"{dispute['id']}:closed",
            self.env._(
                "Dispute %(dispute)s %(outcome)s",
                dispute=dispute["id"],
                outcome=self.env._("won") if won else self.env._("lost"),
            ),
            journal_account if won else self._service_stripe_loss_account(),
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
    def _service_stripe_accountant(self):
        group = self.env.ref("account.group_account_manager")
        return group.sudo().all_user_ids.filtered(lambda user: user.active and not user.share)[
            :1
        ] or self.env.ref("base.user_admin")
