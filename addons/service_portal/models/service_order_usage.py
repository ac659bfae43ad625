from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceOrderUsage(models.Model):
    """A part used or time spent on a visit, recorded by the technician on site (or by
    staff). Parts name a product of the catalogue or are free text."""

    _name = "service.order.usage"
    _description = "Parts and Time Used on a Service Order"
    _order = "order_id, usage_type, id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade")
    usage_type = fields.Selection(
        [("part", "Part"), ("time", "Time")], string="Type", required=True, default="part"
    )
    product_id = fields.Many2one("product.product", index="btree_not_null")
    name = fields.Char(string="Description", required=True)
    quantity = fields.Float(
        default=1.0,
        digits=(16, 2),
        required=True,
        help="Units of the part used, or hours spent.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(string="Recorded On", default=fields.Datetime.now, readonly=True)

    @api.constrains("quantity")
    def _check_quantity(self):
        for usage in self:
            if usage.quantity <= 0:
                raise ValidationError(
                    self.env._("The quantity of %(usage)s must be positive.", usage=usage.name)
                )

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.name = self.product_id.display_name
            self.usage_type = "part"


class ServiceOrder(models.Model):
    _inherit = "service.order"  # pylint: disable=consider-merging-classes-inherited

    usage_line_ids = fields.One2many(
        "service.order.usage",
        "order_id",
        string="Parts and Time",
        copy=False,
        groups="base.group_user",  # portal pages read them as superuser
    )
    usage_hours = fields.Float(
        string="Hours Spent",
        compute="_compute_usage_hours",
        digits=(16, 2),
        groups="base.group_user",
    )

    @api.depends("usage_line_ids.quantity", "usage_line_ids.usage_type")
    def _compute_usage_hours(self):
        for order in self:
            order.usage_hours = sum(
                order.usage_line_ids.filtered(lambda usage: usage.usage_type == "time").mapped(
                    "quantity"
                )
            )
