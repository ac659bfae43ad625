from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import ValidationError

from .. import const, utils


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

    def _portal_answer_value(self, raw):
        """The answer to store for ``raw``, the text the customer typed on the portal form
        (None when an optional question is left empty).

        :raise FieldUserError: when the answer is missing or not one this question takes
        """
        self.ensure_one()
        raw = (raw or "").strip()
        field = f"question_{self.id}"
        if not raw:
            if self.required:
                raise FieldUserError(
                    self.env._("Please answer: %(question)s", question=self.name), field
                )
            return None
        if self.kind in const.ANSWER_MAX_LENGTH:
            if len(raw) > const.ANSWER_MAX_LENGTH[self.kind]:
                raise FieldUserError(
                    self.env._(
                        "This answer is too long: %(max)s characters at most.",
                        max=const.ANSWER_MAX_LENGTH[self.kind],
                    ),
                    field,
                )
            return raw
        if self.kind == "date":
            try:
                return fields.Date.to_string(fields.Date.to_date(raw))
            except ValueError:
                raise FieldUserError(
                    self.env._("Please enter a date such as 2026-01-31."), field
                ) from None
        if self.kind == "number":
            number = utils.parse_number(raw)
            if number is None:
                raise FieldUserError(self.env._("Please enter a number."), field)
            return str(int(number)) if number.is_integer() else str(number)
        if self.kind == "boolean":
            if raw not in ("yes", "no"):
                raise FieldUserError(self.env._("Please answer yes or no."), field)
            return self.env._("Yes") if raw == "yes" else self.env._("No")
        if self.kind == "choice":
            if raw not in self._choice_list():
                raise FieldUserError(self.env._("Please pick one of the proposed answers."), field)
            return raw
        raise FieldUserError(self.env._("This question cannot be answered."), field)
