from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Licence plans bought on account from the portal
    # ------------------------------------------------------------------

    @api.model
    def _service_on_account_values(self, customer, product, quantity):
        """The sales order an on-account purchase creates, checked: the review page shows it
        (unsaved) and the confirmation creates it, so both show the same amounts."""
        customer.with_env(self.env)._service_check_licensing_admin()
        product = product.sudo()
        if product.service_plan_kind != "annual" or not product.sale_ok:
            raise UserError(self.env._("Only annual plans can be bought on account."))
        if quantity < 1 or quantity > 1000:
            raise FieldUserError(self.env._("Choose a quantity between 1 and 1000."), "quantity")
        customer = customer.sudo()
        payment_term = customer.property_payment_term_id or self.env.ref(
            "account.account_payment_term_30days", raise_if_not_found=False
        )
        return {
            "partner_id": customer.id,
            "payment_term_id": payment_term.id if payment_term else False,
            "client_order_ref": self.env._("Portal purchase by %(name)s", name=self.env.user.name),
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
        }

    @api.model
    def _service_on_account_review(self, customer, product, quantity):
        """What buying ``quantity`` of the annual plan on account commits to, before anything
        is written: the unsaved sales order (plan, seats, price, taxes, payment terms) and
        the period it covers."""
        values = self._service_on_account_values(customer, product, quantity)
        order = self.sudo().new(values)
        today = fields.Date.context_today(self)
        return {
            "order": order,
            "line": order.order_line[:1],
            "date_start": today,
            "date_end": today + relativedelta(years=1, days=-1),
        }

    @api.model
    def _service_buy_on_account(self, customer, product, quantity):
        """Buy an annual plan on account: a confirmed sales order, its posted invoice with the
        customer's payment terms (30 days by default), and the active subscription.
        """
        values = self._service_on_account_values(customer, product, quantity)
        product = product.sudo()
        customer = customer.sudo()
        order = self.sudo().create(values)
        order.action_confirm()
        today = fields.Date.context_today(self)
        subscription = (
            self.env["service.subscription"]
            .sudo()
            .create(
                {
                    "partner_id": customer.id,
                    "product_id": product.id,
                    "quantity": quantity,
                    "state": "active",
                    "payment_mode": "on_account",
                    "date_start": today,
                    "date_end": today + relativedelta(years=1, days=-1),
                    "sale_order_id": order.id,
                }
            )
        )
        invoice = order._create_invoices()
        invoice.service_subscription_id = subscription
        invoice.action_post()
        return subscription.sudo(False)
