import re
from urllib.parse import quote_plus

from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from ..const import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_admin_role = fields.Selection(
        [("owner", "Owner"), ("secondary", "Secondary owner")],
        string="Licensing Admin",
        groups="base.group_user",
        index=True,
        copy=False,
        help="Owners and secondary owners manage the organisation's subscriptions, technician "
        "licences and admins from the portal.",
    )
    service_admin_customer_id = fields.Many2one(
        "res.partner",
        string="Admin Of",
        groups="base.group_user",
        compute="_compute_service_admin_customer_id",
        help="The customer organisation this contact administers (empty for non-admins).",
    )
    service_stripe_customer_id = fields.Char(
        string="Stripe Customer",
        groups="base.group_user",
        copy=False,
        index="btree_not_null",
        help="The Stripe customer (cus_...) of this organisation, created at its first purchase.",
    )

    @api.depends("service_admin_role", "commercial_partner_id")
    def _compute_service_admin_customer_id(self):
        for partner in self:
            partner.service_admin_customer_id = (
                partner.commercial_partner_id if partner.service_admin_role else False
            )

    @api.depends("user_ids.service_technician_account")
    def _compute_service_partners(self):
        # a job site's customer is computed from its parent's: the users of both in one query
        # (read again below from the cache), not one query per partner computed
        (self | self.filtered("service_is_job_site").parent_id).sudo().with_context(
            active_test=False
        ).mapped("user_ids")
        result = super()._compute_service_partners()
        # A login that exists only for a technician licence works in /my/work on the orders
        # assigned to it; it does not see its organisation's portal.
        for partner in self:
            users = partner.sudo().with_context(active_test=False).user_ids
            if users and all(users.mapped("service_technician_account")):
                partner.service_scope_partner_id = partner
        return result

    @api.constrains("service_admin_role", "parent_id")
    def _check_service_admin_role(self):
        for partner in self.filtered("service_admin_role"):
            customer = partner.commercial_partner_id
            if customer == partner or partner.service_is_job_site:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot administer licences: only a contact of a customer "
                        "company can be its owner or a secondary owner.",
                        partner=partner.display_name,
                    )
                )
            owners = self.search_count(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("service_admin_role", "=", "owner"),
                ]
            )
            if owners > 1:
                raise ValidationError(
                    self.env._(
                        "%(customer)s already has an owner: add a secondary owner instead.",
                        customer=customer.display_name,
                    )
                )

    def _service_rule_trigger_fields(self):
        return super()._service_rule_trigger_fields() | {"service_admin_role"}

    def _service_rule_inputs(self):
        # the licensing rules read the organisation the user's partner administers
        return (*super()._service_rule_inputs(), self.service_admin_customer_id.id)

    # ------------------------------------------------------------------
    # Admins, managed from the portal
    # ------------------------------------------------------------------

    def _service_check_licensing_admin(self):
        """Raise unless the current user manages the licensing of these customers
        (subscriptions, licences, admins, purchases): a licensing manager may, a portal user
        when they are an owner or a secondary owner of each of them."""
        user = self.env.user
        if user.has_group("service_licensing.group_licensing_manager"):
            return
        customer = user.partner_id.service_admin_customer_id
        if not self or not customer or any(partner != customer for partner in self):
            raise AccessError(
                self.env._("Only the owner and the secondary owners manage the licensing.")
            )

    def _service_licensing_admins(self):
        """The contacts who administer this customer's licensing (owner and secondary owners),
        as superuser: an admin lists and manages the other admins, contacts they may not read
        otherwise."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [("commercial_partner_id", "in", self.ids), ("service_admin_role", "!=", False)],
                order="service_admin_role, name",
            )
        )

    @api.model
    def _service_add_admin(self, customer, name, email):
        """Make ``email`` a secondary owner of ``customer``; invite them if they are new."""
        customer.with_env(self.env)._service_check_licensing_admin()
        name = (name or "").strip()
        email = email_normalize(email or "")
        if not name:
            raise FieldUserError(self.env._("The admin's name is required."), "name")
        if len(name) > NAME_MAX_LENGTH:
            raise FieldUserError(
                self.env._(
                    "The name is too long: %(max)s characters at most.", max=NAME_MAX_LENGTH
                ),
                "name",
            )
        if not email or len(email) > EMAIL_MAX_LENGTH:
            raise FieldUserError(self.env._("Enter a valid email address for the admin."), "email")
        Partner = self.sudo()
        if Partner.search_count(
            [
                ("commercial_partner_id", "=", customer.id),
                ("email_normalized", "=", email),
                ("service_admin_role", "!=", False),
            ],
            limit=1,
        ):
            raise FieldUserError(self.env._("%(email)s is already an admin.", email=email), "email")
        user = (
            self.env["res.users"]
            .sudo()
            ._service_portal_user(customer, name, email, technician=False)
        )
        # Without a user (the address belongs to an account elsewhere, whose owner is told by
        # email), the admin is listed as invited like any other: the form tells nothing.
        partner = user.partner_id or Partner.create(
            {"name": name, "email": email, "parent_id": customer.id, "type": "contact"}
        )
        partner.service_admin_role = "secondary"
        user._service_send_invitation()
        return partner.sudo(False)

    def _service_remove_admin(self):
        """Remove a secondary owner; the owner stays."""
        self.ensure_one()
        partner = self.sudo()
        partner.commercial_partner_id.with_env(self.env)._service_check_licensing_admin()
        if partner.service_admin_role == "owner":
            raise UserError(self.env._("The owner cannot be removed: contact us to change it."))
        if not partner.service_admin_role:
            raise UserError(self.env._("%(name)s is not an admin.", name=partner.name))
        partner.service_admin_role = False
        return True

    # ------------------------------------------------------------------
    # The job site, as the technician's workspace shows it
    # ------------------------------------------------------------------

    def _service_map_url(self):
        """A plain maps link to this address (no API key): phones open it in their maps app."""
        self.ensure_one()
        place = self
        address = ", ".join(
            part
            for part in (
                place.street,
                place.street2,
                " ".join(filter(None, (place.zip, place.city))),
                place.state_id.name,
                place.country_id.name,
            )
            if part
        )
        if not address:
            return False
        return f"https://www.google.com/maps/search/?api=1&query={quote_plus(address)}"

    def _service_site_phones(self):
        """[(name, display phone, tel: link)] of this site and its on-site contacts."""
        self.ensure_one()
        place = self
        people = place | place.child_ids.filtered(lambda partner: not partner.service_is_job_site)
        phones = []
        for partner in people.filtered("phone")[:4]:
            digits = re.sub(r"[^\d+]", "", partner.phone)
            if digits:
                phones.append((partner.name, partner.phone, f"tel:{digits}"))
        return phones
