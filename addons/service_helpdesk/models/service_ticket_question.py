from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceTicketQuestion(models.Model):
    """A question the portal form asks for one nature of request."""

    _name = "service.ticket.question"
    _description = "Request Question"
    _order = "sequence, id"

    type_id = fields.Many2one(
        "service.ticket.type", string="Nature of Request", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Label", required=True, translate=True)
    kind = fields.Selection(
        [
            ("text", "Text"),
            ("textarea", "Long Text"),
            ("date", "Date"),
            ("number", "Number"),
            ("boolean", "Yes / No"),
            ("choice", "Choice"),
        ],
        default="text",
        required=True,
    )
    choices = fields.Text(
        translate=True,
        help="For a choice question: one possible answer per line.",
    )
    required = fields.Boolean()
    help_text = fields.Char(string="Help", translate=True)

    @api.constrains("kind", "choices")
    def _check_choices(self):
        for question in self:
            if question.kind == "choice" and len(question._choice_list()) < 2:
                raise ValidationError(
                    self.env._(
                        "The choice question %(question)s needs at least two answers, "
                        "one per line.",
                        question=question.name,
                    )
                )

    def _choice_list(self):
        self.ensure_one()
        return [line.strip() for line in (self.choices or "").splitlines() if line.strip()]
