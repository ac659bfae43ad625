from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ..const import ONBOARDING_LAYOUT, WEBMAIL_DOMAINS
from ..exceptions import FieldUserError
from ..utils import like_escape


class ServicePortalRegistration(models.Model):
    """A web account asked for from the portal's registration form.

    Nothing is usable until the person follows the verification link (Odoo's own signup
    token, which expires and dies at first use); only then is the user created, and linked
    to its customer at once when its email matches exactly one contact of a customer.
    """

    _name = "service.portal.registration"
    _description = "Portal Access Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(required=True)
    email = fields.Char(required=True, index=True)
    phone = fields.Char()
    company_name = fields.Char(string="Company (as typed)")
    partner_id = fields.Many2one("res.partner", string="Contact", required=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users", string="Web Account", compute="_compute_user_id", store=True
    )
    state = fields.Selection(
        [
            ("pending", "Email not verified"),
            ("waiting", "Waiting for a customer"),
            ("linked", "Linked"),
            ("refused", "Refused"),
        ],
        default="pending",
        required=True,
        tracking=True,
        index=True,
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
    customer_id = fields.Many2one(related="partner_id.service_customer_id", string="Customer")

    @api.depends("partner_id.user_ids")
    def _compute_user_id(self):
        for registration in self:
            registration.user_id = registration.partner_id.with_context(active_test=False).user_ids[
                :1
            ]

    def action_link(self, customer_or_site):
        """Attach the web account's contact to a customer or one of its job sites."""
        for registration in self:
            if registration.state not in ("waiting", "pending", "refused"):
                raise UserError(
                    self.env._(
                        "%(name)s is already linked.", name=registration.partner_id.display_name
                    )
                )
            registration.partner_id.parent_id = customer_or_site
            if registration.user_id and not registration.user_id.active:
                registration.user_id.active = True
            registration.state = "linked"
            if registration.user_id:
                self.env.ref("service_portal.mail_template_registration_linked").send_mail(
                    registration.id, force_send=True, email_layout_xmlid=ONBOARDING_LAYOUT
                )

    def action_refuse(self):
        for registration in self:
            if registration.user_id:
                registration.user_id.active = False
            registration.state = "refused"
            self.env.ref("service_portal.mail_template_registration_refused").send_mail(
                registration.id, force_send=True, email_layout_xmlid=ONBOARDING_LAYOUT
            )

    def action_open_link_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Link to a Customer"),
            "res_model": "service.portal.registration.link",
            "view_mode": "form",
            "target": "new",
            "context": {"default_registration_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # From the registration form
    # ------------------------------------------------------------------

    @api.model
    def _check_form(self, name, email, phone, company_name):
        name = (name or "").strip()
        if not name:
            raise FieldUserError(self.env._("Enter your name."), "name")
        for field, value, limit in (
            ("name", name, 128),
            ("company_name", company_name, 128),
            ("phone", phone, 32),
        ):
            if len(value or "") > limit:
                raise FieldUserError(
                    self.env._("A field is too long: names take 128 characters at most."), field
                )
        for field, value in (("name", name), ("company_name", company_name)):
            if any(char in (value or "") for char in "<>{}"):
                raise FieldUserError(self.env._("Names may not contain < > { or }."), field)
        normalized = email_normalize(email or "")
        if not normalized or len(normalized) > 254:
            raise FieldUserError(
                self.env._("Enter a valid email address, like name@example.com."), "email"
            )
        return name, normalized

    @api.model
    def _contact_to_link(self, email):
        """The one contact of a customer this address belongs to, exactly (no pattern):
        a person attached to a customer or a job site, never a site, a company or an
        address (invoice, delivery, other), and without a web account yet."""
        Partner = self.env["res.partner"]
        candidates = Partner.search(
            [
                ("email_normalized", "=", email),
                ("parent_id", "!=", False),
                ("is_company", "=", False),
                ("service_is_job_site", "=", False),
                ("type", "=", "contact"),
            ]
        )
        own_companies = (
            self.env["res.company"]
            .sudo()
            .search([("partner_id", "in", candidates.commercial_partner_id.ids)])
            .partner_id
        )
        candidates = candidates.filtered(
            lambda partner: (
                not partner.with_context(active_test=False).user_ids
                # a customer organisation, never the service company itself
                and partner.commercial_partner_id.is_company
                and partner.commercial_partner_id not in own_companies
            )
        )
        return candidates if len(candidates) == 1 else Partner

    @api.model
    def _portal_register(self, name, email, phone=None, company_name=None, ip_address=None):
        """Record the request and send the email that fits; the caller shows the same
        answer whatever happened, so that no answer tells whether an account exists."""
        name, email = self._check_form(name, email, phone, company_name)
        # counted whatever follows: a known address costs as much as an unknown one
        if not self.env["service.portal.attempt"]._service_allow("register", email, ip_address):
            return self.browse()
        existing_user = self.env["res.users"]._service_users_of_email(email)[:1]
        if existing_user:
            # Whoever registered, the owner of the address learns how to get back in.
            if existing_user.active:
                existing_user.action_reset_password()
            return self.browse()
        pending = self.search([("email", "=", email), ("state", "=", "pending")], limit=1)
        if pending:
            # Registering again: the same request, a fresh link (one contact, one row).
            pending._send_verification()
            return pending
        partner = self._contact_to_link(email) or self.env["res.partner"].create(
            {"name": name, "email": email, "phone": phone or False}
        )
        registration = self.create(
            {
                "name": name,
                "email": email,
                "phone": phone or False,
                "company_name": company_name or False,
                "partner_id": partner.id,
                "ip_address": ip_address,
            }
        )
        registration._send_verification()
        return registration

    def _send_verification(self):
        for registration in self:
            registration.partner_id.signup_prepare()
            self.env.ref("service_portal.mail_template_registration_verify").send_mail(
                registration.id, force_send=True, email_layout_xmlid=ONBOARDING_LAYOUT
            )

    @api.model
    def _portal_resend_verification(self, email, ip_address=None):
        normalized = email_normalize(email or "")
        if not normalized:
            raise FieldUserError(
                self.env._("Enter a valid email address, like name@example.com."), "email"
            )
        if not self.env["service.portal.attempt"]._service_allow(
            "register", normalized, ip_address
        ):
            return
        pending = self.search([("email", "=", normalized), ("state", "=", "pending")], limit=1)
        pending._send_verification()

    def _verification_url(self):
        self.ensure_one()
        return self.partner_id.with_context(signup_valid=True)._get_signup_url()

    # ------------------------------------------------------------------
    # After the verification link
    # ------------------------------------------------------------------

    @api.model
    def _from_signup_token(self, token):
        """The pending registration a signup link was sent for (empty if none)."""
        partner = token and self.env["res.partner"]._signup_retrieve_partner(
            token, check_validity=True
        )
        if not partner or partner.with_context(active_test=False).user_ids:
            return self.browse()
        return self.search([("partner_id", "=", partner.id), ("state", "=", "pending")], limit=1)

    @api.model
    def _signup_values(self, partner, values):
        """The values Odoo's signup creates the user with, for a verified registration:
        the login is the address the link was mailed to, whatever the form posted."""
        registration = self.search(
            [("partner_id", "=", partner.id), ("state", "=", "pending")], limit=1
        )
        if not registration or partner.with_context(active_test=False).user_ids:
            return values
        if self.env["res.users"]._service_login_taken(registration.email):
            raise UserError(
                self.env._("This address already has an account: log in or reset your password.")
            )
        return {
            **values,
            "login": registration.email,
            "email": registration.email,
            "name": partner.name,
        }

    @api.model
    def _on_email_verified(self, partner):
        registration = self.search(
            [("partner_id", "=", partner.id), ("state", "=", "pending")], limit=1
        )
        if not registration:
            return
        if partner.parent_id:
            registration.state = "linked"
        else:
            registration.state = "waiting"
            registration.message_post(
                body=self.env._(
                    "Email verified: link this web account to a customer or refuse it."
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Staff
    # ------------------------------------------------------------------

    def _suggested_customer(self):
        """The customer this account most likely belongs to, for the link wizard: the one
        company named exactly as typed in the form, else the one company whose email uses
        the same domain (empty when none or several match: staff choose)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        # customer organisations, never the service company itself
        companies = [("is_company", "=", True), ("service_is_job_site", "=", False)]
        typed = (self.company_name or "").strip()
        if typed:
            found = Partner.search(
                [
                    *companies,
                    ("name", "=ilike", like_escape(typed)),
                    ("ref_company_ids", "=", False),
                ]
            )
            if len(found) == 1:
                return found
        domain = (self.email or "").rpartition("@")[2]
        if domain and domain not in WEBMAIL_DOMAINS:
            found = Partner.search(
                [
                    *companies,
                    ("email_normalized", "=like", "%@" + like_escape(domain)),
                    ("ref_company_ids", "=", False),
                ]
            )
            if len(found) == 1:
                return found
        return Partner
