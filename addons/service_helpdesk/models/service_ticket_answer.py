from odoo import fields, models


class ServiceTicketAnswer(models.Model):
    """What the customer answered to one question of the request's nature.

    The label is copied so that the answer still reads right after staff edit or delete
    the question.
    """

    _name = "service.ticket.answer"
    _description = "Request Answer"
    _order = "sequence, id"

    ticket_id = fields.Many2one(
        "service.ticket", string="Request", required=True, ondelete="cascade", index=True
    )
    question_id = fields.Many2one("service.ticket.question", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Question Label", required=True)
    value = fields.Text(string="Answer")
