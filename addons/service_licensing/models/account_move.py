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

    _service_stripe_invoice_uniq = models.UniqueIndex(
        "(service_stripe_invoice_id) WHERE service_stripe_invoice_id IS NOT NULL",
        "This Stripe invoice is already recorded.",
    )
