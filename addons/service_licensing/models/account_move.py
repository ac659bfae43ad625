from odoo import fields, models


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

    _service_stripe_invoice_uniq = models.UniqueIndex(
        "(service_stripe_invoice_id) WHERE service_stripe_invoice_id IS NOT NULL",
        "This Stripe invoice is already recorded.",
    )
