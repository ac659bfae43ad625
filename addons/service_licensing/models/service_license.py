from odoo import api, fields, models
from odoo.addons.service_portal.const import ONBOARDING_LAYOUT
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ..const import ADMIN_STATES, DEVICE_TYPES, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, SEAT_STATES


class ServiceLicense(models.Model):
    _name = "service.license"
    _description = "Technician Licence"
    _inherit = ["mail.thread"]
    _order = "subscription_id, name, id"

    subscription_id = fields.Many2one(
        "service.subscription", required=True, index=True, ondelete="restrict", tracking=True
    )
    partner_id = fields.Many2one(
        related="subscription_id.partner_id", string="Customer", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The technician's portal user, created or reused at allocation. Empty when the "
        "email belongs to an account that cannot join this customer (staff, another "
        "organisation, archived): the licence then gives no access.",
    )
    name = fields.Char(string="Technician Name", required=True, tracking=True)
    email = fields.Char(required=True, tracking=True)
    device_type = fields.Selection(DEVICE_TYPES, default="ios", required=True, tracking=True)
    state = fields.Selection(
        [("allocated", "Allocated"), ("paused", "Paused"), ("revoked", "Revoked")],
        string="Allocation Status",
        default="allocated",
        required=True,
        index=True,
        tracking=True,
        help="Allocated: the technician works. Paused: the seat stays reserved but the "
        "technician has no access. Revoked: the seat is free again and the access removed.",
    )
    date_allocated = fields.Datetime(readonly=True)
    date_revoked = fields.Datetime(readonly=True)
    # Not "has_access": that would shadow BaseModel.has_access(), which the web client,
    # mail and portal call on every record.
    grants_access = fields.Boolean(
        string="Has Access",
        compute="_compute_grants_access",
        store=True,
        index=True,
        help="Whether the technician may work under this licence now.",
    )

    _one_seat_per_technician = models.UniqueIndex(
        "(partner_id, user_id) WHERE state != 'revoked'",
        "This technician already holds a licence of this customer.",
    )

    @api.depends("state", "subscription_id.state", "subscription_id.access_suspended")
    def _compute_grants_access(self):
        for license_ in self:
            subscription = license_.subscription_id
            license_.grants_access = (
                license_.state == "allocated"
                and subscription.state in ("trialing", "active", "past_due")
                and not subscription.access_suspended
            )

    def action_revoke(self):
        """The licensing manager's Revoke button: the same as an owner's revoke in the portal."""
        return self._revoke()

    @api.model
    def _clean_portal_values(self, values, required=()):
        """Keep and check the fields an admin may set from the portal."""
        clean = {}
        if "name" in values:
            clean["name"] = (values.get("name") or "").strip()
        if "email" in values:
            email = email_normalize(values.get("email") or "")
            if not email:
                raise FieldUserError(
                    self.env._("Enter a valid email address for the technician."), "email"
                )
            clean["email"] = email
        if values.get("device_type"):
            if values["device_type"] not in dict(DEVICE_TYPES):
                raise FieldUserError(
                    self.env._("Choose a device type from the list."), "device_type"
                )
            clean["device_type"] = values["device_type"]
        if values.get("state"):
            if values["state"] not in ADMIN_STATES:
                raise FieldUserError(
                    self.env._("Choose an allocation status from the list."), "state"
                )
            clean["state"] = values["state"]
        if ("name" in clean or "name" in required) and not clean.get("name"):
            raise FieldUserError(self.env._("The technician's name is required."), "name")
        if len(clean.get("name", "")) > NAME_MAX_LENGTH:
            raise FieldUserError(
                self.env._(
                    "The name is too long: %(max)s characters at most.", max=NAME_MAX_LENGTH
                ),
                "name",
            )
        if len(clean.get("email", "")) > EMAIL_MAX_LENGTH:
            raise FieldUserError(
                self.env._("Enter a valid email address for the technician."), "email"
            )
        if "email" in required and not clean.get("email"):
            raise FieldUserError(
                self.env._("Enter a valid email address for the technician."), "email"
            )
        return clean

    def _update_from_portal(self, values):
        """Edit name, email, device type or allocation status of a licence."""
        self.ensure_one()
        self.subscription_id._check_licensing_admin()
        license_ = self.sudo()
        if license_.state == "revoked":
            raise UserError(self.env._("This licence was revoked: allocate a new one."))
        values = self._clean_portal_values(values)
        if values.get("email") and values["email"] != license_.email:
            new_user = (
                self.env["res.users"]
                .sudo()
                ._service_technician_user(
                    license_.partner_id, values.get("name") or license_.name, values["email"]
                )
            )
            if license_._service_held_by(license_.partner_id, new_user, values["email"]):
                raise FieldUserError(
                    self.env._("%(email)s already holds a licence.", email=values["email"]), "email"
                )
            old_user = license_.user_id
            license_.write({**values, "user_id": new_user.id or False})
            old_user._service_drop_technician_access()
            old_user._service_rotate_access_tokens()
            license_._send_onboarding()
        else:
            license_.write(values)
            if values.get("state") == "paused":
                license_.user_id._service_rotate_access_tokens()
        if values.get("name") and license_.user_id.service_technician_account:
            license_.user_id.partner_id.name = values["name"]
        return True

    def _revoke(self):
        """Free the seats and remove the technicians' access at once."""
        self.subscription_id._check_licensing_admin()
        licenses = self.sudo().filtered(lambda lic: lic.state != "revoked")
        for subscription in licenses.subscription_id:
            subscription._lock_for_update()
        licenses.write({"state": "revoked", "date_revoked": fields.Datetime.now()})
        licenses.user_id._service_drop_technician_access()
        licenses.user_id._service_rotate_access_tokens()
        return True

    @api.model
    def _service_held_by(self, customer, user, email):
        """Whether a seat of ``customer`` is already held by ``user`` (or, for a licence
        without a user, by ``email``)."""
        domain = [("partner_id", "=", customer.id), ("state", "in", SEAT_STATES)]
        domain += [("user_id", "=", user.id)] if user else [("email", "=", email)]
        return bool(self.sudo().search_count(domain, limit=1))

    def _send_onboarding(self):
        """Queue the verification email (new users) and the onboarding email."""
        template = self.env.ref("service_licensing.mail_template_technician_onboarding")
        # Without a user, the owner of the address was told why by email already.
        for license_ in self.sudo().filtered("user_id"):
            license_.user_id._service_send_invitation(license_.email)
            template.send_mail(license_.id, email_layout_xmlid=ONBOARDING_LAYOUT)
