from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


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

    def _portal_decide_estimate(self, approve, comment=None):
        """Approve (confirm) or decline (cancel) this sent estimate of a support request, as
        the current portal contact; told in the conversations of the estimate and of the
        request. Estimates that need a signature or an online payment are approved on Odoo's
        own quotation page instead.

        :raise UserError: when the estimate cannot be decided here (any more)
        """
        self.ensure_one()
        ticket = self.service_ticket_id
        ticket._service_check_customer_contact()
        order = self.sudo()
        if order not in ticket._portal_estimates() or order.state != "sent" or order.is_expired:
            raise UserError(self.env._("This estimate can no longer be approved or declined."))
        if approve and (order._has_to_be_signed() or order._has_to_be_paid()):
            raise UserError(
                self.env._("This estimate must be signed or paid: open it to approve it.")
            )
        author = self.env.user.partner_id
        # Cache the currency before the state changes, as Odoo's own portal does: the flush
        # of monetary fields reads it.
        order.order_line.fetch(["currency_id"])
        if approve:
            order.action_confirm()
            body = self.env._("Estimate %(estimate)s approved.", estimate=order.name)
        else:
            order._action_cancel()
            body = self.env._("Estimate %(estimate)s declined.", estimate=order.name)
        body = Markup("<p>%s</p>") % body
        if comment:
            body += plaintext2html(comment)
        for record in (order, ticket.sudo()):
            record.message_post(
                body=body,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
