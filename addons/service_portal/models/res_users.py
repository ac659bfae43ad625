from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def signup(self, values, token=None):
        # The token is spent by the signup: find whom it was for before.
        partner = token and self.env["res.partner"]._signup_retrieve_partner(
            token, check_validity=True
        )
        result = super().signup(values, token)
        if partner:
            self.env["service.portal.registration"].sudo()._on_email_verified(partner)
        return result
