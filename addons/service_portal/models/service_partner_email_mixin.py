from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize, hash_sign, verify_hash_signed


class ServicePartnerEmailMixin(models.AbstractModel):
    """A portal contact's change of email address, inherited by ``res.partner`` (where
    ``service_pending_email`` is kept): the new address is verified by a signed link before
    it replaces the old one, and with it the login of the contact's users."""

    _name = "service.partner.email.mixin"
    _description = "Portal Email Change"

    def _service_email_is_login(self):
        """Whether this partner's email is the login of one of its users: changing it then
        changes how they log in, so it must be verified first."""
        self.ensure_one()
        email = email_normalize(self.email or "")
        return bool(email) and any(
            email_normalize(user.login or "") == email
            for user in self.sudo().with_context(active_test=False).user_ids
        )

    def _service_check_email_free(self, email):
        """Refuse an address that is already the login of another user (any company,
        archived or not): two users with one login lock the owner out."""
        own_users = self.sudo().with_context(active_test=False).user_ids
        if self.env["res.users"].sudo()._service_login_taken(email, own_users.ids):
            raise UserError(
                self.env._(
                    "%(email)s is already used to sign in by another account: choose another "
                    "email address.",
                    email=email,
                )
            )

    def _portal_request_email_change(self, new_email):
        """Keep the new address aside and mail it a link; nothing changes until it is followed."""
        self.ensure_one()
        normalized = email_normalize(new_email or "")
        if not normalized:
            raise UserError(self.env._("Enter a valid email address, like name@example.com."))
        if normalized == email_normalize(self.email or ""):
            return False
        self._service_check_email_free(normalized)
        self.service_pending_email = normalized
        token = hash_sign(
            self.sudo().env, "service_portal.email", [self.id, normalized], expiration_hours=48
        )
        # to the new address only: Odoo would otherwise resolve it to this very partner and
        # mail the link to the current address
        self.env.ref("service_portal.mail_template_email_change").with_context(
            email_change_token=token
        ).send_mail(
            self.id, force_send=True, email_values={"email_to": normalized, "recipient_ids": []}
        )
        return True

    @api.model
    def _portal_confirm_email_change(self, token):
        """Apply a verified email change, login included; raises UserError before writing
        anything when it may not be applied (the caller rolls back on any error)."""
        try:
            payload = verify_hash_signed(self.sudo().env, "service_portal.email", token or "")
        except ValueError:
            payload = None
        if not payload:
            raise UserError(
                self.env._("This link has expired or is not valid: change your email again.")
            )
        partner_id, new_email = payload
        partner = self.sudo().browse(partner_id).exists()
        if not partner or partner.service_pending_email != new_email:
            raise UserError(self.env._("This link was already used or replaced by a newer one."))
        # Serialize changes to one address: two confirmations at once cannot both pass the check.
        self.env.cr.execute(
            SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", f"service_portal.login:{new_email}")
        )
        partner._service_check_email_free(new_email)
        old_email = email_normalize(partner.email or "")
        for user in partner.with_context(active_test=False).user_ids.filtered(
            lambda u: email_normalize(u.login or "") == old_email
        ):
            user.login = new_email
        partner.write({"email": new_email, "service_pending_email": False})
        return partner
