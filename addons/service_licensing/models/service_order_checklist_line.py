from odoo import api, models
from odoo.addons.service_portal.const import OPEN_STATES
from odoo.addons.service_portal.exceptions import FieldUserError

from ..utils import positive_int


class ServiceOrderChecklistLine(models.Model):
    """The steps a technician ticks on site from /my/work."""

    _inherit = "service.order.checklist.line"

    @api.model
    def _technician_tick(self, order, line_id=None, item_id=None, done=True):
        """Tick (or untick) a step of the checklist of ``order``, as the technician; who and
        when is kept on the line.

        ``line_id`` names a line of this order; ``item_id`` a step of its kind's template,
        for an order that has no checklist of its own yet (it gets it now)."""
        order = order.with_env(self.env)
        order.ensure_one()
        order._technician_check()
        order._technician_check_open()
        line_id = positive_int(line_id)
        item_id = positive_int(item_id)
        order = order.sudo()
        if item_id and not order.checklist_line_ids and order.state in OPEN_STATES:
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

    def _technician_summary_section(self):
        """The checklist, as a section of the done summary (None when empty)."""
        if not self:
            return None
        return {
            "key": "checklist",
            "title": self.env._("Checklist"),
            "items": [
                (self.env._("Done: %s", line.name))
                if line.done
                else self.env._("Not done: %s", line.name)
                for line in self.sudo().sorted(lambda line: (line.sequence, line.id))
            ],
        }
