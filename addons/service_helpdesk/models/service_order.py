from odoo import fields, models


class ServiceOrder(models.Model):
    _inherit = "service.order"

    service_ticket_ids = fields.One2many(
        "service.ticket",
        "visit_order_id",
        string="Support Requests",
        groups="service_helpdesk.group_helpdesk_agent",
        help="The support requests this visit was asked for with.",
    )
