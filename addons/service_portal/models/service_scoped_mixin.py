import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain


class ServiceScopedMixin(models.AbstractModel):
    """A record that belongs to a customer and, optionally, one of its job sites.

    Every portal-visible record type of the product inherits it, so that one record rule
    (``scope_partner_id child_of`` the user's portal scope) decides who sees what.
    """

    _name = "service.scoped.mixin"
    _description = "Customer and job site of a record"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain=[("is_job_site", "=", False)],
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Job Site",
        index=True,
        domain="[('is_job_site', '=', True), ('id', 'child_of', partner_id)]",
    )
    scope_partner_id = fields.Many2one(
        "res.partner",
        string="Visible To",
        compute="_compute_scope_partner_id",
        store=True,
        index=True,
        help="The job site, or the customer when there is no site: portal contacts of this "
        "partner and of its parents see the record.",
    )

    @api.depends("partner_id", "site_id")
    def _compute_scope_partner_id(self):
        for record in self:
            record.scope_partner_id = record.site_id or record.partner_id

    @api.onchange("site_id")
    def _onchange_site_id_set_customer(self):
        if self.site_id:
            self.partner_id = self.site_id.service_customer_id

    @api.constrains("partner_id", "site_id")
    def _check_site_belongs_to_customer(self):
        for record in self.filtered("site_id"):
            site = record.site_id
            if not site.is_job_site:
                raise ValidationError(
                    self.env._("%(partner)s is not a job site.", partner=site.display_name)
                )
            if site.service_customer_id != record.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The job site %(site)s does not belong to the customer %(customer)s.",
                        site=site.display_name,
                        customer=record.partner_id.display_name,
                    )
                )

    @api.model
    def _service_portal_scope_domain(self, user=None):
        """The records a portal user may see; the record rules use the same expression."""
        scope = (user or self.env.user).partner_id.service_scope_partner_id
        return [("scope_partner_id", "child_of", scope.id)]

    def _service_rotate_access_tokens(self):
        """Replace the access tokens of these records (portal.mixin ones): links given out
        before stop working. Every record gets a new token at once, so that read-only pages
        never have to write one."""
        for record in self.sudo().filtered(lambda rec: "access_token" in rec._fields):
            record.access_token = str(uuid.uuid4())

    def _service_is_customer_contact(self):
        """Whether the current user may act for the customer on every record of ``self``."""
        try:
            self._service_check_customer_contact()
        except AccessError:
            return False
        return True

    def _service_check_customer_contact(self):
        """Raise unless the current user is a portal contact of the customer within whose
        portal scope every record of ``self`` lies.

        Customer actions (reschedule, cancel, sign off, request service, approve an estimate)
        call it before anything else, on sudoed records too: reading a record is not enough to
        act for the customer. A technician reads the orders assigned to them, a follower or an
        access token reads one record, but only the customer's contacts decide for it.
        """
        user = self.env.user
        allowed = False
        if user.share and not user._is_public() and self:
            scope = Domain(self._service_portal_scope_domain(user))
            allowed = self.sudo().search_count(Domain("id", "in", self.ids) & scope) == len(self)
        if not allowed:
            raise AccessError(
                self.env._("Only a contact of the customer can do this from the portal.")
            )
