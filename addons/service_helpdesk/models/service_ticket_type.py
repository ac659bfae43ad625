from odoo import fields, models


class ServiceTicketType(models.Model):
    """The "nature of request" a customer picks first; it decides which questions follow."""

    _name = "service.ticket.type"
    _description = "Nature of Request"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="Shown to the customer under the choice, e.g. what to have at hand.",
    )
    site_mode = fields.Selection(
        [("hidden", "Not asked"), ("optional", "Optional"), ("required", "Required")],
        string="Job Site",
        default="optional",
        required=True,
        help="Whether the portal form asks for the job site of the request.",
    )
    team_id = fields.Many2one(
        "service.ticket.team",
        groups="base.group_user",
        help="Requests of this nature go to this team.",
    )
    response_hours = fields.Integer(
        string="Response Target (working hours)",
        help="The customer is told we answer within this many working hours (the company's "
        "working schedule); 0 for no target.",
    )
    response_hours_high = fields.Integer(
        string="Response Target, High Priority",
        help="Working hours for high-priority requests; 0 to use the normal target.",
    )
    response_hours_urgent = fields.Integer(
        string="Response Target, Urgent",
        help="Working hours for urgent requests; 0 to use the high-priority target.",
    )
    question_ids = fields.One2many("service.ticket.question", "type_id", string="Questions")
    ticket_count = fields.Integer(compute="_compute_ticket_count", groups="base.group_user")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["service.ticket"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for ticket_type in self:
            ticket_type.ticket_count = counts.get(ticket_type, 0)

    def _response_hours_for(self, priority):
        """The response target in working hours for a request of this nature and priority."""
        self.ensure_one()
        high = self.response_hours_high or self.response_hours
        return {"2": self.response_hours_urgent or high, "1": high}.get(
            priority, self.response_hours
        )
