import uuid

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class ServiceEquipment(models.Model):
    _name = "service.equipment"
    _description = "Equipment"
    _inherit = ["service.scoped.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "name, id"

    # Set at creation: the read-only portal pages link the records around this one with
    # their token (Odoo's previous/next pager), and must not write a missing token there.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    name = fields.Char(required=True, tracking=True, index="trigram")
    active = fields.Boolean(default=True)
    model = fields.Char(tracking=True)
    serial_number = fields.Char(tracking=True, index=True, copy=False)
    install_date = fields.Date(tracking=True)
    warranty_end = fields.Date(string="Warranty Until", tracking=True)
    under_warranty = fields.Boolean(compute="_compute_under_warranty")
    maintenance_interval = fields.Integer(
        string="Maintenance Every (Months)",
        help="Leave empty when the equipment needs no planned maintenance.",
    )
    order_ids = fields.One2many("service.order", "equipment_id", string="Service History")
    order_count = fields.Integer(compute="_compute_order_count")
    last_service_date = fields.Date(compute="_compute_last_service_date", store=True)
    next_maintenance_date = fields.Date(
        compute="_compute_next_maintenance_date",
        store=True,
        help="The next planned maintenance visit, else the last service plus the interval.",
    )
    document_ids = fields.One2many("service.document", "equipment_id", string="Documents")

    _serial_number_per_customer_uniq = models.Constraint(
        "UNIQUE(partner_id, serial_number)",
        "This serial number is already registered for this customer.",
    )

    @api.depends("warranty_end")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for equipment in self:
            equipment.under_warranty = bool(
                equipment.warranty_end and equipment.warranty_end >= today
            )

    @api.depends("order_ids")
    def _compute_order_count(self):
        counts = dict(
            self.env["service.order"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.order_count = counts.get(equipment, 0)

    @api.depends("order_ids.state", "order_ids.date_end", "order_ids.date_start")
    def _compute_last_service_date(self):
        for equipment in self:
            done = equipment.order_ids.filtered(lambda order: order.state == "done")
            dates = [
                order.date_end or order.date_start
                for order in done
                if order.date_end or order.date_start
            ]
            equipment.last_service_date = max(dates).date() if dates else False

    @api.depends(
        "maintenance_interval",
        "install_date",
        "last_service_date",
        "order_ids.state",
        "order_ids.kind",
        "order_ids.date_start",
    )
    def _compute_next_maintenance_date(self):
        for equipment in self:
            planned = equipment.order_ids.filtered(
                lambda order: (
                    order.kind == "maintenance"
                    and order.state in ("draft", "scheduled")
                    and order.date_start
                )
            )
            if planned:
                equipment.next_maintenance_date = min(planned.mapped("date_start")).date()
            elif equipment.maintenance_interval > 0 and (
                equipment.last_service_date or equipment.install_date
            ):
                base = equipment.last_service_date or equipment.install_date
                equipment.next_maintenance_date = base + relativedelta(
                    months=equipment.maintenance_interval
                )
            else:
                equipment.next_maintenance_date = False

    def _compute_access_url(self):
        for equipment in self:
            equipment.access_url = f"/my/equipment/{equipment.id}"

    @api.depends("name", "serial_number")
    def _compute_display_name(self):
        for equipment in self:
            serial = f" [{equipment.serial_number}]" if equipment.serial_number else ""
            equipment.display_name = f"{equipment.name}{serial}"

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_portal.action_service_orders"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_site_id": self.site_id.id,
        }
        return action

    def _portal_visible_orders(self):
        """This equipment's service history as shown in the portal, sudoed: the orders within
        the equipment's own scope, and those the viewer may read anyway. An order of another
        site that references the equipment (it moved) stays with that site."""
        self.ensure_one()
        equipment = self.sudo()
        within_scope = equipment.order_ids.filtered_domain(
            [("scope_partner_id", "child_of", equipment.scope_partner_id.id)]
        )
        readable = equipment.order_ids.with_user(self.env.user)._filtered_access("read")
        return within_scope | equipment.order_ids.filtered(lambda order: order in readable)

    @api.model
    def _portal_search_domain(self, term):
        """The equipment whose name, serial number or model contains ``term``."""
        term = term[:100]
        return (
            Domain("name", "ilike", term)
            | Domain("serial_number", "ilike", term)
            | Domain("model", "ilike", term)
        )

    def _portal_new_visit(self):
        """The visit (a new record, not saved) a customer contact may ask for on this
        equipment, to offer its arrival windows; an empty recordset for anyone else."""
        self.ensure_one()
        Order = self.env["service.order"].sudo()
        if not self._service_is_customer_contact():
            return Order
        return Order.new(self._service_new_visit_values())

    def _service_new_visit_values(self):
        self.ensure_one()
        return {
            "kind": "service",
            "partner_id": self.partner_id.id,
            "site_id": self.site_id.id,
            "equipment_id": self.id,
        }

    def _portal_request_service(self, description, windows=None):
        """Called from the portal: the customer asks for a visit on this equipment, at one
        of the free arrival windows picked (keys of ``service.order._arrival_offered``).

        Returns the draft service order it creates for the dispatchers."""
        self.ensure_one()
        self._service_check_customer_contact()
        if not self.env["service.portal.settings"].get_shown_sections()["equipment_request"]:
            raise UserError(self.env._("Service requests from the portal are turned off."))
        return self.env["service.order"]._portal_create_requested(
            self._service_new_visit_values(), description, windows
        )
