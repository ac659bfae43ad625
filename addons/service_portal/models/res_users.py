import logging

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, email_normalize

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def signup(self, values, token=None):
        # The token is spent by the signup: find whom it was for before.
        partner = token and self.env["res.partner"]._signup_retrieve_partner(
            token, check_validity=True
        )
        if partner:
            values = self.env["service.portal.registration"].sudo()._signup_values(partner, values)
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

    @api.model
    def _service_login_taken(self, email, exclude_user_ids=()):
        """Whether ``email`` is already the login of a user, of any company, archived or
        not, compared case-insensitively (Odoo's unique index on login is case-sensitive,
        and the portal normalizes addresses to lower case)."""
        normalized = email_normalize(email or "")
        if not normalized:
            return False
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM res_users WHERE lower(trim(login)) = %s AND id != ALL(%s) LIMIT 1",
                normalized,
                list(exclude_user_ids),
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _service_users_of_email(self, email):
        """Users (archived too, any company) whose login or email is ``email``, exactly
        once normalized: never a pattern (``_`` and ``%`` are plain characters)."""
        normalized = email_normalize(email or "")
        if not normalized:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """SELECT u.id FROM res_users u JOIN res_partner p ON p.id = u.partner_id
                    WHERE lower(trim(u.login)) = %(email)s OR p.email_normalized = %(email)s
                 ORDER BY u.active DESC, u.id""",
                email=normalized,
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _service_portal_is_waiting(self):
        """Whether this portal account registered itself and is not linked to a customer
        yet: it sees the waiting page only, and files nothing."""
        self.ensure_one()
        if not self.share or self._is_public():
            return False
        partner = self.partner_id
        if partner.parent_id or partner.is_company:
            return False
        return bool(
            self.env["service.portal.registration"]
            .sudo()
            .search_count([("partner_id", "=", partner.id), ("state", "!=", "linked")], limit=1)
        )

    def _service_portal_access_pending(self):
        """Whether a registration of this user waits for the service company to link it
        to a customer."""
        self.ensure_one()
        return bool(
            self.env["service.portal.registration"]
            .sudo()
            .search_count([("partner_id", "=", self.partner_id.id), ("state", "=", "waiting")])
        )

    def _service_portal_check_not_waiting(self):
        if self and self._service_portal_is_waiting():
            raise AccessError(
                self.env._(
                    "Your account is waiting to be linked to your service company: you can "
                    "send requests as soon as it is."
                )
            )

    def _service_portal_check_can_file(self):
        """Raise unless this user may file requests for a customer from the portal (support
        requests, service requests); staff and superuser code paths pass. Addons narrow it."""
        self._service_portal_check_not_waiting()

    @api.model
    def _service_portal_reset_password(self, login, ip_address=None):
        """Odoo's "reset password" form, answered the same whether an account exists or
        not: every attempt is counted, and a link goes out only to a single, active
        account. Call as superuser."""
        login = (login or "").strip()
        if not login or len(login) > 254:
            raise UserError(self.env._("Enter the email address you log in with."))
        key = email_normalize(login) or login.lower()
        if not self.env["service.portal.attempt"]._service_allow("reset", key, ip_address):
            return
        users = self.search(self._get_login_domain(login)) or self.search(
            self._get_email_domain(login)
        )
        if len(users) != 1:
            _logger.info("Password reset asked for <%s>: %s accounts", login, len(users))
            return
        try:
            users.action_reset_password()
        except UserError:
            # Told to the staff (logs), not to the visitor: the answer must not differ.
            _logger.exception("Password reset mail for <%s> could not be sent", login)

    @api.model
    def _service_invited_by_token(self, token):
        """The portal user an invitation link (``token``) was sent to, while the invitation
        is unused: an active portal account that never logged in. Empty otherwise."""
        partner = token and self.env["res.partner"]._signup_retrieve_partner(
            token, check_validity=True
        )
        if not partner or partner.signup_type != "signup":
            return self.browse()
        user = partner.user_ids[:1]
        if not user or not user.share or user.login_date or len(partner.user_ids) > 1:
            return self.browse()
        return user

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
            records._service_rotate_access_tokens()
