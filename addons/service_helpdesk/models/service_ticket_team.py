import ast

from odoo import fields, models


class ServiceTicketTeam(models.Model):
    """Agents who answer a kind of request; its email alias turns emails into requests."""

    _name = "service.ticket.team"
    _description = "Help Desk Team"
    _inherit = ["mail.alias.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    member_ids = fields.Many2many(
        "res.users",
        string="Agents",
        domain=[("share", "=", False)],
    )
    ticket_ids = fields.One2many("service.ticket", "team_id", string="Requests")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    def _compute_open_ticket_count(self):
        counts = dict(
            self.env["service.ticket"]._read_group(
                [("team_id", "in", self.ids), ("state", "=", "open")], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("service.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
        return values
