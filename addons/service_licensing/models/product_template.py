from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import PLAN_KINDS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    service_plan_kind = fields.Selection(
        PLAN_KINDS,
        string="Licensing Plan",
        index=True,
        help="Sold from the portal's Your Purchases page: licence plans give technician seats, "
        "add-on modules unlock extra features.",
    )
    service_stripe_price_id = fields.Char(
        groups="base.group_user",
        help="The id of the recurring price in Stripe (price_...) that Checkout sells.",
    )

    @api.constrains("service_plan_kind", "service_stripe_price_id")
    def _check_stripe_price(self):
        for product in self.filtered("service_plan_kind"):
            if not product.service_stripe_price_id:
                raise ValidationError(
                    self.env._(
                        "The plan %(plan)s needs its Stripe price id: Checkout sells that price.",
                        plan=product.display_name,
                    )
                )
            if not product.service_stripe_price_id.startswith("price_"):
                raise ValidationError(
                    self.env._(
                        "%(price)s is not a Stripe price id: those start with 'price_'.",
                        price=product.service_stripe_price_id,
                    )
                )
