from odoo import api, fields, models

from ..const import TICKET_STATES


class ServiceTicketStage(models.Model):
    """A step of the support process. Staff add and rename stages freely; each one says
    which status it means for the customer (open, completed or cancelled)."""

    _name = "service.ticket.stage"
    _description = "Support Request Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        TICKET_STATES,
        string="Status for the Customer",
        required=True,
        default="open",
        help="Open stages show under Open in the portal; completed and cancelled ones close "
        "the request.",
    )
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(groups="base.group_user")
    rating_template_id = fields.Many2one(
        "mail.template",
        groups="base.group_user",
        string="Rating Request Email",
        domain=[("model", "=", "service.ticket")],
        help="Emailed to the customer when a request reaches this stage, asking them to rate "
        "the service.",
    )

    @api.model
    def _first_for_state(self, state):
        return self.search([("state", "=", state)], limit=1)
