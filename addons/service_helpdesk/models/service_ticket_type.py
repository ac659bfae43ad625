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
        help="Requests of this nature go to this team.",
    )
    response_hours = fields.Integer(
        string="Response Target (working hours)",
        help="The customer is told we answer within this many working hours (the company's "
        "working schedule); 0 for no target.",
    )
    question_ids = fields.One2many("service.ticket.question", "type_id", string="Questions")
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["service.ticket"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for ticket_type in self:
            ticket_type.ticket_count = counts.get(ticket_type, 0)
