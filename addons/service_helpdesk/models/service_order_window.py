from odoo import models


class ServiceOrderWindow(models.Model):
    _inherit = "service.order.window"

    def action_confirm(self):
        result = super().action_confirm()
        tickets = (
            self.env["service.ticket"].sudo().search([("visit_order_id", "=", self.order_id.id)])
        )
        if tickets:
            tickets._visit_log_confirmed(self)
        return result
