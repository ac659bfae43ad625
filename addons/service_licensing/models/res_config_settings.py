from odoo import fields, models

from ..const import DEFAULT_GRACE_DAYS, GRACE_DAYS_PARAM, WEBHOOK_SECRETS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_licensing_grace_days = fields.Integer(
        string="Overdue Grace Period (Days)",
        config_parameter=GRACE_DAYS_PARAM,
        default=DEFAULT_GRACE_DAYS,
        help="Days after a failed payment before the organisation's technicians lose access.",
    )
    service_licensing_journal_id = fields.Many2one(
        "account.journal",
        string="Journal for Stripe Payments",
        config_parameter="service_licensing.journal_id",
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
        help="Where the payments Stripe collected are recorded; by default the journal of "
        "the Stripe payment provider.",
    )
    service_licensing_webhook_secrets = fields.Char(
        string="Licensing Webhook Signing Secrets",
        config_parameter=WEBHOOK_SECRETS_PARAM,
        help="The signing secret (whsec_...) of the Stripe endpoint /service/stripe/webhook. "
        "While rolling a secret in Stripe, enter the new and the old one separated by a space "
        "or a comma: events signed with either are accepted.",
    )
    service_licensing_fee_account_id = fields.Many2one(
        "account.account",
        string="Stripe Fees and Lost Disputes",
        config_parameter="service_licensing.fee_account_id",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="The expense account of Stripe's fees and of the disputes lost.",
    )
    service_licensing_payout_journal_id = fields.Many2one(
        "account.journal",
        string="Bank Journal for Stripe Payouts",
        config_parameter="service_licensing.payout_journal_id",
        domain="[('type', '=', 'bank'), ('company_id', '=', company_id)]",
        help="The journal of the bank account Stripe pays out to: each payout is matched "
        "with its line in this journal's bank statements.",
    )
