from odoo import api, fields, models


class ServiceTicket(models.Model):
    _name = "service.ticket"
    _description = "Support Request"
    _inherit = ["service.scoped.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="New")
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    partner_id = fields.Many2one(tracking=True)
    site_id = fields.Many2one(tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("completed", "Completed"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one("res.users", string="Assigned To", tracking=True, index=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.ticket") or "New"
        return super().create(vals_list)

    @api.depends("subject")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.name} {ticket.subject or ''}".strip()
