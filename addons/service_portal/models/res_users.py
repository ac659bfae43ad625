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

    def write(self, vals):
        losing_portal = self.browse()
        if vals.get("active") is False or "group_ids" in vals:
            losing_portal = self.filtered(lambda user: user.active and user._is_portal())
        result = super().write(vals)
        revoked = losing_portal.filtered(lambda user: not (user.active and user._is_portal()))
        revoked._service_rotate_access_tokens()
        return result

    def _service_token_records(self):
        """The portal records whose links (with access tokens) these users were given: when
        their access ends, those tokens are replaced so that old links stop working."""
        scopes = self.sudo().partner_id.service_scope_partner_id
        if not scopes:
            return []
        return [
            self.env[model_name].sudo().search([("scope_partner_id", "child_of", scopes.ids)])
            for model_name in self.env.registry.descendants(["portal.mixin"], "_inherit")
            if "scope_partner_id" in self.env[model_name]._fields
            and not self.env[model_name]._abstract
        ]

    def _service_rotate_access_tokens(self):
        """New access tokens for the records these users could open (portal access or licence
        removed); the people who keep access get new links from the portal."""
        for records in self._service_token_records():
            # portal.mixin makes a new token the next time a link is shared
            records.filtered("access_token").write({"access_token": False})
