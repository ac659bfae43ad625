from odoo import api, models
from odoo.exceptions import UserError


class AccountJournal(models.Model):
    _inherit = "account.journal"

    @api.model
    def _service_stripe_journal(self, company):
        """The journal of what Stripe collected: the one of the settings, else the Stripe
        provider's, else the first bank journal of the company."""
        provider = self.env["payment.provider"]._service_stripe_provider()
        journal_id = self.env["ir.config_parameter"]._service_get_int(
            "service_licensing.journal_id", 0
        )
        journal = (
            self.env["account.journal"].sudo().browse(journal_id).exists()
            or provider.journal_id
            or self.env["account.journal"]
            .sudo()
            .search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        )
        if not journal:
            raise UserError(self.env._("No bank journal records what Stripe collected."))
        return journal

    @api.model
    def _service_stripe_payout_journal(self, company):
        """The bank journal of the account Stripe pays out to (a setting, required)."""
        journal_id = self.env["ir.config_parameter"]._service_get_int(
            "service_licensing.payout_journal_id", 0
        )
        journal = self.env["account.journal"].sudo().browse(journal_id).exists()
        if not journal or journal.type != "bank":
            raise UserError(
                self.env._(
                    "Set the bank journal that receives Stripe's payouts in Settings > Field "
                    "Service > Technician Licences (Bank Journal for Stripe Payouts): the event "
                    "is then processed again."
                )
            )
        if journal == self._service_stripe_journal(company):
            raise UserError(
                self.env._(
                    "The bank journal for Stripe payouts is the Stripe journal itself: choose "
                    "the journal of the bank account Stripe pays out to."
                )
            )
        return journal
