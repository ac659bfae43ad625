from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_job_site = fields.Boolean(
        string="Job Site",
        index=True,
        help="A place where the customer receives service. Contacts attached to a job site "
        "see only that site in the portal; contacts of the customer see every site.",
    )
    job_site_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Sites",
        domain=[("is_job_site", "=", True)],
    )
    job_site_count = fields.Integer(compute="_compute_job_site_count")
    service_customer_id = fields.Many2one(
        "res.partner",
        compute="_compute_service_partners",
        help="The customer organisation this contact or site belongs to.",
    )
    service_scope_partner_id = fields.Many2one(
        "res.partner",
        string="Portal Scope",
        compute="_compute_service_partners",
        help="What this contact may see in the portal: its job site if it is attached to one, "
        "else its whole customer organisation.",
    )

    @api.depends("job_site_ids")
    def _compute_job_site_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("parent_id", "in", self.ids), ("is_job_site", "=", True)],
                ["parent_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.job_site_count = counts.get(partner, 0)

    @api.depends("is_job_site", "parent_id", "commercial_partner_id")
    def _compute_service_partners(self):
        for partner in self:
            site = partner._service_job_site()
            if site:
                partner.service_scope_partner_id = site
                partner.service_customer_id = (
                    site.parent_id.service_customer_id or site.commercial_partner_id
                )
            else:
                partner.service_scope_partner_id = partner.commercial_partner_id
                partner.service_customer_id = partner.commercial_partner_id

    def _service_job_site(self):
        """The job site this partner is, or is attached to (an empty recordset if none)."""
        self.ensure_one()
        partner = self
        while partner:
            if partner.is_job_site:
                return partner
            partner = partner.parent_id
        return self.browse()

    @api.constrains("is_job_site", "parent_id")
    def _check_job_site_parent(self):
        for partner in self:
            if partner.is_job_site and not partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "The job site %(site)s must belong to a customer: set its parent company.",
                        site=partner.display_name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"parent_id", "is_job_site"} & vals.keys():
            # Record rules read the portal scope of the user's partner and are cached per user.
            self.env.registry.clear_cache()
        return result

    def action_view_job_sites(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Job Sites"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id), ("is_job_site", "=", True)],
            "context": {"default_parent_id": self.id, "default_is_job_site": True},
        }
