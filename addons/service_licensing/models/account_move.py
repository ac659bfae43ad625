from odoo import api, fields, models


class AccountMove(models.Model):
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

    def _service_stripe_transfer_line(self):
        """The line of a payout entry on the liquidity transfer account."""
        self.ensure_one()
        return self.sudo().line_ids.filtered(
            lambda line: line.account_id == self.company_id.sudo().transfer_account_id
        )[:1]

    def action_service_match_payout(self):
        """Match each payout with its line in the bank statement (one click from the list)."""
        # Reconciling rewrites the bank statement line's entry, which an invoicing user may not
        # write directly: whoever may write these entries may match them.
        self.check_access("write")
        accounting = self.env["service.stripe.accounting"].sudo()
        for entry in self.sudo().filtered("service_stripe_payout_key"):
            accounting._match_payout(entry)
        return True
