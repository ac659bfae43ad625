"""What a technician records on site from /my/work: the checklist, the parts and time
used, and what they read of the equipment's past (its earlier orders and documents)."""

import math

from odoo import api, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.addons.service_portal.models.service_checklist import CHECKLIST_OPEN_STATES
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import escape_psql

# What one entry may say: enough for any real visit, small enough to catch a slip
# (a serial number typed in the quantity).
PART_MAX_QUANTITY = 1000
HOURS_MAX = 24
USAGE_NAME_MAX = 200
HISTORY_LIMIT = 10
DOCUMENTS_LIMIT = 20


class ServiceOrder(models.Model):
    _inherit = "service.order"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Checklist
    # ------------------------------------------------------------------

    def _technician_checklist(self):
        """What the workspace lists: the order's lines, or (while it has none yet) the steps
        of its kind that it gets on the first tick."""
        self.ensure_one()
        self._technician_check()
        order = self.sudo()
        return order.checklist_line_ids or order._checklist_template_items()

    def _technician_check_open(self):
        for order in self.sudo():
            if order.state not in ("scheduled", "in_progress"):
                raise UserError(
                    self.env._(
                        "%(order)s is not open any more: its checklist, parts and time cannot "
                        "change from the workspace.",
                        order=order.name,
                    )
                )

    def _technician_checklist_tick(self, line_id=None, item_id=None, done=True):
        """Tick (or untick) a step of the checklist; who and when is kept on the line.

        ``line_id`` names a line of this order; ``item_id`` a step of its kind's template,
        for an order that has no checklist of its own yet (it gets it now)."""
        self.ensure_one()
        self._technician_check()
        self._technician_check_open()
        line_id = _positive_int(line_id)
        item_id = _positive_int(item_id)
        order = self.sudo()
        if item_id and not order.checklist_line_ids and order.state in CHECKLIST_OPEN_STATES:
            order._checklist_copy_template()
        lines = order.checklist_line_ids
        if line_id:
            line = lines.filtered(lambda line: line.id == line_id)
        elif item_id:
            line = lines.filtered(lambda line: line.item_id.id == item_id)[:1]
        else:
            line = lines.browse()
        if not line:
            raise FieldUserError(
                self.env._("This step is not on the checklist of %(order)s.", order=order.name),
                "checklist",
            )
        line.write({"done": bool(done)})  # sudoed, still as the technician: who ticked
        return line

    # ------------------------------------------------------------------
    # Parts and time
    # ------------------------------------------------------------------

    def _technician_add_usage(self, usage_type, part=None, quantity=None, hours=None):
        """Record a part used (catalogue product or free text, and its quantity) or time
        spent (hours). Returns the new usage line."""
        self.ensure_one()
        self._technician_check()
        self._technician_check_open()
        order = self.sudo()
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
            amount = _parse_amount(
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
            amount = _parse_amount(self.env, hours, HOURS_MAX, "usage_hours", self.env._("Hours"))
            values = {"usage_type": "time", "name": self.env._("Time on site"), "quantity": amount}
        else:
            raise UserError(self.env._("Record a part or time spent."))
        return (
            self.env["service.order.usage"]
            .sudo()
            .create({**values, "order_id": order.id, "user_id": self.env.user.id})
        )

    def _technician_remove_usage(self, usage_id):
        """Remove a part or time the technician recorded by mistake (their own entries,
        while the order is open)."""
        self.ensure_one()
        self._technician_check()
        self._technician_check_open()
        usage_id = _positive_int(usage_id)
        usage = self.sudo().usage_line_ids.filtered(
            lambda line: line.id == usage_id and line.user_id == self.env.user
        )
        if not usage:
            raise FieldUserError(
                self.env._("This entry is not one of yours on %(order)s.", order=self.sudo().name),
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

    # ------------------------------------------------------------------
    # The equipment's past
    # ------------------------------------------------------------------

    def _technician_history(self):
        """The equipment's other orders (or, without equipment, the site's), newest first,
        as superuser: only after the assignment check, and only within that equipment's or
        site's own scope, as its customer sees them."""
        self.ensure_one()
        self._technician_check()
        order = self.sudo()
        if order.equipment_id:
            orders = order.equipment_id._portal_visible_orders()
        else:
            orders = order.search(Domain("scope_partner_id", "=", order.scope_partner_id.id))
        orders = (orders - order).filtered(lambda other: other.state != "cancelled")
        return orders.sorted(lambda other: other.date_start or other.create_date, reverse=True)[
            :HISTORY_LIMIT
        ]

    def _technician_documents(self):
        """The published documents of the order, its equipment and its job site (those
        attached to the site itself, not to another equipment or order of it), as superuser,
        after the assignment check; none while the operator hides documents from the portal."""
        self.ensure_one()
        self._technician_check()
        if not self.env["service.portal.settings"].get_shown_sections().get("documents"):
            return self.env["service.document"]
        order = self.sudo()
        domain = Domain("order_id", "=", order.id)
        if order.equipment_id:
            domain |= Domain("equipment_id", "=", order.equipment_id.id)
        domain |= Domain(
            [
                ("partner_id", "=", order.partner_id.id),
                ("site_id", "=", order.site_id.id),
                ("equipment_id", "=", False),
                ("order_id", "=", False),
            ]
        )
        return (
            self.env["service.document"]
            .sudo()
            .search(Domain("published", "=", True) & domain, limit=DOCUMENTS_LIMIT)
        )


def _positive_int(value):
    """A record id posted by a form, or 0 when it is none."""
    if isinstance(value, int):
        return value if value > 0 else 0
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return 0
    return int(text)


def _parse_amount(env, value, maximum, field, label):
    """A positive number typed by the technician (comma or point as decimal separator),
    at most ``maximum``, to two decimals; FieldUserError naming ``field`` otherwise."""
    text = value.strip().replace(",", ".") if isinstance(value, str) else ""
    if not text:
        raise FieldUserError(env._("%(field)s: enter a number.", field=label), field)
    try:
        amount = float(text) if len(text) <= 20 else math.nan
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount):
        raise FieldUserError(
            env._("%(field)s: “%(value)s” is not a number.", field=label, value=text[:20]),
            field,
        )
    amount = round(amount, 2)
    if amount <= 0:
        raise FieldUserError(env._("%(field)s must be more than 0.", field=label), field)
    if amount > maximum:
        raise FieldUserError(
            env._("%(field)s: %(max)s at most per entry.", field=label, max=maximum), field
        )
    return amount
