from odoo import api, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import escape_psql

from ..const import HOURS_MAX, PART_MAX_QUANTITY, USAGE_NAME_MAX
from ..utils import parse_amount, positive_int


class ServiceOrderUsage(models.Model):
    """The parts and time a technician records on site from /my/work."""

    _inherit = "service.order.usage"

    @api.model
    def _technician_add(self, order, usage_type, part=None, quantity=None, hours=None):
        """Record on ``order`` a part used (catalogue product or free text, and its quantity)
        or time spent (hours), as the technician. Returns the new usage line."""
        order = order.with_env(self.env)
        order.ensure_one()
        order._technician_check()
        order._technician_check_open()
        order = order.sudo()
        if usage_type == "part":
            name = part.strip() if isinstance(part, str) else ""
            if not name:
                raise FieldUserError(
                    self.env._("Name the part used (or pick it from the list)."), "usage_part"
                )
            if len(name) > USAGE_NAME_MAX:
                raise FieldUserError(
                    self.env._(
                        "The part's name is too long (%(max)s characters at most).",
                        max=USAGE_NAME_MAX,
                    ),
                    "usage_part",
                )
            amount = parse_amount(
                self.env,
                quantity,
                PART_MAX_QUANTITY,
                "usage_quantity",
                self.env._("Quantity"),
            )
            product = self._technician_part_product(name)
            values = {
                "usage_type": "part",
                "product_id": product.id,
                "name": product.display_name if product else name,
                "quantity": amount,
            }
        elif usage_type == "time":
            amount = parse_amount(self.env, hours, HOURS_MAX, "usage_hours", self.env._("Hours"))
            values = {"usage_type": "time", "name": self.env._("Time on site"), "quantity": amount}
        else:
            raise UserError(self.env._("Record a part or time spent."))
        return self.sudo().create({**values, "order_id": order.id, "user_id": self.env.user.id})

    @api.model
    def _technician_remove(self, order, usage_id):
        """Remove a part or time the technician recorded by mistake on ``order`` (their own
        entries, while the order is open)."""
        order = order.with_env(self.env)
        order.ensure_one()
        order._technician_check()
        order._technician_check_open()
        usage_id = positive_int(usage_id)
        usage = order.sudo().usage_line_ids.filtered(
            lambda line: line.id == usage_id and line.user_id == self.env.user
        )
        if not usage:
            raise FieldUserError(
                self.env._("This entry is not one of yours on %(order)s.", order=order.sudo().name),
                "usage_part",
            )
        usage.unlink()
        return True

    @api.model
    def _technician_part_product(self, name):
        """The catalogue part a typed name names exactly (its name or reference), if one."""
        pattern = escape_psql(name)
        product = (
            self.env["product.product"]
            .sudo()
            .search(
                Domain("type", "=", "consu")
                & (Domain("default_code", "=ilike", pattern) | Domain("name", "=ilike", pattern)),
                limit=2,
            )
        )
        return product if len(product) == 1 else product.browse()

    @api.model
    def _technician_part_suggestions(self, limit=100):
        """Catalogue parts offered as suggestions in the workspace's part field."""
        return (
            self.env["product.product"]
            .sudo()
            .search([("type", "=", "consu"), ("sale_ok", "=", True)], limit=limit, order="name")
        )

    def _technician_summary_section(self):
        """The parts and time used, as a section of the done summary (None when empty)."""
        if not self:
            return None
        items = []
        for usage in self.sudo():
            if usage.usage_type == "time":
                items.append(self.env._("Time: %(hours)s h", hours=f"{usage.quantity:g}"))
            else:
                items.append(
                    self.env._(
                        "%(part)s: %(quantity)s",
                        part=usage.name,
                        quantity=f"{usage.quantity:g}",
                    )
                )
        return {"key": "usage", "title": self.env._("Parts and time used"), "items": items}
