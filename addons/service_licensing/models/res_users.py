from odoo import Command, api, fields, models
from odoo.addons.service_portal.const import ONBOARDING_LAYOUT
from odoo.exceptions import AccessError

from ..const import SEAT_STATES


class ResUsers(models.Model):
    _inherit = "res.users"

    service_license_ids = fields.One2many(
        "service.license", "user_id", string="Technician Licences", groups="base.group_user"
    )
    service_technician_account = fields.Boolean(
        string="Technician Account",
        groups="base.group_user",
        copy=False,
        help="This login exists for a technician licence: it is deactivated when the "
        "technician holds no licence any more. Logins that existed before the licence keep "
        "working without it.",
    )

    @api.model
    def _service_technician_user(self, customer, name, email):
        """The portal user of a technician of ``customer``: reused if it exists, else created."""
        return self._service_portal_user(customer, name, email, technician=True)

    @api.model
    def _service_portal_user(self, customer, name, email, technician):
        """The portal user of a contact of ``customer`` for ``email``: reused, else created.

        A user who is staff, who belongs to another organisation, or whom staff archived, is
        never reused. The admin is not told (that would say who has an account here): an
        empty recordset is returned, the caller records the invitation without a login, and
        the owner of the address is told by email. ``technician`` says whether the login
        exists for a licence only (it is then archived with the last licence). Call as
        superuser.
        """
        user = self._service_users_of_email(email)[:1]
        if user:
            if (
                not user.share
                or user.partner_id.commercial_partner_id != customer
                or (not user.active and not user.service_technician_account)
            ):
                self._service_notify_address_taken(customer, email)
                return self.browse()
            if not user.active:
                # Archived when its last licence was removed: restored for this one.
                user.active = True
            if not technician and user.service_technician_account:
                user.service_technician_account = False  # now an admin: keeps the login
            return user
        partner = self.env["res.partner"].create(
            {"name": name, "email": email, "parent_id": customer.id, "type": "contact"}
        )
        return self.with_context(no_reset_password=True).create(
            {
                "partner_id": partner.id,
                "login": email,
                "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
                "service_technician_account": technician,
            }
        )

    @api.model
    def _service_notify_address_taken(self, customer, email):
        """Tell the owner of an address that could not be invited, and only them."""
        self.env.ref("service_licensing.mail_template_invitation_address_taken").send_mail(
            customer.id, email_values={"email_to": email, "recipient_ids": []}
        )

    def _service_send_invitation(self, email=None):
        """Queue the invitation to verify the address and choose a password (new users)."""
        template = self.env.ref("service_portal.mail_template_portal_invitation")
        for user in self.sudo().filtered(lambda u: u.active and not u.login_date):
            user.partner_id.signup_prepare(signup_type="signup")
            template.send_mail(
                user.id,
                email_values={"email_to": email or user.email, "recipient_ids": []},
                email_layout_xmlid=ONBOARDING_LAYOUT,
            )

    def _service_drop_technician_access(self):
        """Deactivate technicians who hold no usable licence; their sessions end at once.

        A licence of a subscription suspended for non-payment does not count.

        Only logins created (or reactivated) for a licence are deactivated: a contact who had
        portal access before, and the customer's admins, keep their login (their licence
        alone is gone); staff users are never touched.
        """
        still_licensed = (
            self.env["service.license"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.ids),
                    ("state", "in", SEAT_STATES),
                    ("subscription_id.access_suspended", "=", False),
                ]
            )
            .user_id
        )
        to_deactivate = self.filtered(
            lambda user: (
                user.share
                and user.active
                and user.service_technician_account
                and user not in still_licensed
                and not user.partner_id.service_admin_role
            )
        )
        # Deactivating changes the session token (it includes "active"): open sessions stop.
        to_deactivate.sudo().write({"active": False})
        return to_deactivate

    def _service_is_technician_only(self):
        """Whether this login exists for a technician licence only: it works on the orders
        assigned to it and is not a contact of the customer."""
        self.ensure_one()
        user = self.sudo()
        return bool(
            user.share
            and user.service_technician_account
            and user.partner_id.service_scope_partner_id == user.partner_id
        )

    def _service_portal_check_can_file(self):
        result = super()._service_portal_check_can_file()
        if self and self._service_is_technician_only():
            raise AccessError(
                self.env._(
                    "A technician login works on its assigned orders only: the customer's "
                    "contacts send requests."
                )
            )
        return result

    def _service_token_records(self):
        records = super()._service_token_records()
        # A technician was given links to the orders assigned to them.
        records.append(
            self.env["service.order"].sudo().search([("technician_ids", "in", self.ids)])
        )
        return records
