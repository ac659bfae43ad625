from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    service_ticket_id = fields.Many2one(
        "service.ticket",
        string="Support Request",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The support request this quotation is an estimate for; the customer approves or "
        "declines it from the request in the portal.",
    )

    def action_quotation_sent(self):
        result = super().action_quotation_sent()
        # The request page links to its estimates with their tokens, and it is a read-only
        # page: the token exists before anyone opens it.
        for order in self.filtered("service_ticket_id"):
            order._portal_ensure_token()
        return result
