from odoo import api, fields, models
from odoo.fields import Domain

# the open states of an order (service_licensing imports the name from here)
from ..const import OPEN_STATES


class ServiceChecklistItem(models.Model):
    """A step of the checklist staff define per kind of order (service, install...). Each
    order copies the items of its kind into lines of its own: editing an item later does not
    rewrite the checklists of orders that already have it."""

    _name = "service.checklist.item"
    _description = "Checklist Item (Template)"
    _order = "kind, sequence, id"

    name = fields.Char(string="Step", required=True, translate=True)
    kind = fields.Selection(
        selection="_selection_kind",
        string="Order Type",
        required=True,
        default="service",
        index=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.model
    def _selection_kind(self):
        return self.env["service.order"]._fields["kind"]._description_selection(self.env)


class ServiceOrderChecklistLine(models.Model):
    _name = "service.order.checklist.line"
    _description = "Checklist Line of a Service Order"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade")
    item_id = fields.Many2one(
        "service.checklist.item",
        string="From Template",
        index="btree_not_null",
        ondelete="set null",
        help="The template item this line was copied from; the line keeps its own text.",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    done = fields.Boolean(string="Checked")
    done_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    done_on = fields.Datetime(string="Checked On", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("done") and not vals.get("done_by_id"):
                vals.update(done_by_id=self.env.user.id, done_on=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if "done" not in vals or "done_by_id" in vals:
            return super().write(vals)
        # who ticked and when, whoever ticks (the technician on site or staff)
        changed = self.filtered(lambda line: line.done != bool(vals["done"]))
        stamp = (
            {"done_by_id": self.env.user.id, "done_on": fields.Datetime.now()}
            if vals["done"]
            else {"done_by_id": False, "done_on": False}
        )
        if self - changed:
            super(ServiceOrderChecklistLine, self - changed).write(vals)
        if changed:
            super(ServiceOrderChecklistLine, changed).write({**vals, **stamp})
        return True


class ServiceOrder(models.Model):
    _inherit = "service.order"  # pylint: disable=consider-merging-classes-inherited

    checklist_line_ids = fields.One2many(
        "service.order.checklist.line",
        "order_id",
        string="Checklist",
        copy=False,
        groups="base.group_user",  # portal pages read them as superuser
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.sudo().filtered(
            lambda order: not order.checklist_line_ids
        )._checklist_copy_template()
        return orders

    def write(self, vals):
        result = super().write(vals)
        if "kind" in vals:
            # a checklist nobody started follows the order's new kind
            untouched = self.sudo().filtered(
                lambda order: (
                    order.state in OPEN_STATES
                    and not any(order.checklist_line_ids.mapped("done"))
                    and all(order.checklist_line_ids.mapped("item_id"))  # none added by hand
                    and set(order.checklist_line_ids.item_id.mapped("kind")) != {order.kind}
                )
            )
            untouched.checklist_line_ids.unlink()
            untouched._checklist_copy_template()
        return result

    def action_schedule(self):
        result = super().action_schedule()
        self._checklist_ensure()
        return result

    def _checklist_ensure(self):
        """Give the open orders without a checklist the one of their kind (orders created
        before the kind had a checklist get theirs the first time it is needed)."""
        self.sudo().filtered(
            lambda order: order.state in OPEN_STATES and not order.checklist_line_ids
        )._checklist_copy_template()

    def _checklist_copy_template(self):
        items = (
            self.env["service.checklist.item"].sudo().search([("kind", "in", self.mapped("kind"))])
        )
        # the steps as the service company's staff wrote them, whoever creates the order
        lang = self.env.company.partner_id.lang or self.env.lang
        items = items.with_context(lang=lang)
        lines = [
            {"order_id": order.id, "item_id": item.id, "sequence": item.sequence, "name": item.name}
            for order in self
            for item in items
            if item.kind == order.kind
        ]
        if lines:
            self.env["service.order.checklist.line"].sudo().create(lines)

    def _checklist_template_items(self):
        """The checklist an open order would get, while it has none yet."""
        self.ensure_one()
        if self.sudo().checklist_line_ids or self.state not in OPEN_STATES:
            return self.env["service.checklist.item"]
        return self.env["service.checklist.item"].sudo().search(Domain("kind", "=", self.kind))

    @api.model
    def _checklist_fill_open(self):
        """Lines for every open order without a checklist (demo data, migrations)."""
        self.sudo().search([("state", "in", list(OPEN_STATES))])._checklist_ensure()
