"""Checklists per kind of order, copied into each order, and the parts and time used."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ServicePortalCase


@tagged("post_install", "-at_install")
class TestChecklist(ServicePortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Item = cls.env["service.checklist.item"]
        cls.Item.search([]).active = False  # any other checklists out of the way
        cls.service_steps = cls.Item.create(
            [
                {"kind": "service", "sequence": 20, "name": "Repair"},
                {"kind": "service", "sequence": 10, "name": "Diagnose"},
            ]
        )
        cls.install_step = cls.Item.create({"kind": "install", "name": "Mount"})
        cls.customer = cls.winslow
        cls.dispatcher = new_test_user(
            cls.env, login="checklist_dispatcher", groups="service_portal.group_service_user"
        )

    def _order(self, **values):
        return self.env["service.order"].create(
            {"partner_id": self.customer.id, "kind": "service", **values}
        )

    def test_new_order_copies_its_kind_in_order(self):
        order = self._order()
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Diagnose", "Repair"])
        self.assertEqual(order.checklist_line_ids.item_id, self.service_steps)
        self.assertFalse(any(order.checklist_line_ids.mapped("done")))
        self.assertEqual(self._order(kind="install").checklist_line_ids.mapped("name"), ["Mount"])
        self.assertFalse(self._order(kind="inspection").checklist_line_ids, "no template")

    def test_template_edits_do_not_rewrite_history(self):
        order = self._order()
        self.service_steps[0].name = "Repair and test"
        self.service_steps[1].active = False
        self.Item.create({"kind": "service", "sequence": 30, "name": "Clean up"})
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Diagnose", "Repair"])
        self.assertEqual(
            self._order().checklist_line_ids.mapped("name"), ["Repair and test", "Clean up"]
        )
        self.service_steps.unlink()
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Diagnose", "Repair"])

    def test_existing_order_gets_its_checklist_when_scheduled(self):
        self.Item.search([("kind", "=", "inspection")]).unlink()
        order = self._order(kind="inspection", date_start=fields.Datetime.now())
        self.assertFalse(order.checklist_line_ids)
        self.assertFalse(order._checklist_template_items())
        step = self.Item.create({"kind": "inspection", "name": "Look"})
        self.assertEqual(order._checklist_template_items(), step, "shown before it is copied")
        order.action_schedule()
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Look"])
        self.assertFalse(order._checklist_template_items())
        order.action_schedule()
        self.assertEqual(len(order.checklist_line_ids), 1, "never copied twice")

    def test_kind_change_follows_until_started(self):
        order = self._order()
        order.kind = "install"
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Mount"])
        order.checklist_line_ids.done = True
        order.kind = "service"
        self.assertEqual(order.checklist_line_ids.mapped("name"), ["Mount"], "started: kept")

    def test_ticking_keeps_who_and_when(self):
        order = self._order()
        line = order.checklist_line_ids[0]
        before = fields.Datetime.now() - timedelta(seconds=1)
        line.with_user(self.dispatcher).done = True
        self.assertEqual(line.done_by_id, self.dispatcher)
        self.assertGreaterEqual(line.done_on, before)
        stamp = line.done_on
        line.with_user(self.env.ref("base.user_admin")).write({"done": True, "name": "Diagnose!"})
        self.assertEqual((line.done_by_id, line.done_on), (self.dispatcher, stamp), "unchanged")
        line.done = False
        self.assertFalse(line.done_by_id)
        self.assertFalse(line.done_on)

    def test_usage_quantity_must_be_positive(self):
        order = self._order()
        Usage = self.env["service.order.usage"]
        for quantity in (0, -1):
            with self.subTest(quantity=quantity), self.assertRaises(ValidationError):
                Usage.create({"order_id": order.id, "name": "Valve", "quantity": quantity})
        Usage.create(
            [
                {"order_id": order.id, "name": "Valve", "quantity": 2},
                {"order_id": order.id, "usage_type": "time", "name": "On site", "quantity": 1.5},
                {"order_id": order.id, "usage_type": "time", "name": "On site", "quantity": 0.25},
            ]
        )
        self.assertEqual(order.usage_hours, 1.75)

    def test_staff_only(self):
        portal = self.manager_user
        order = self._order()
        for model in (
            "service.checklist.item",
            "service.order.checklist.line",
            "service.order.usage",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(portal).search([])
        with self.assertRaises(AccessError):
            order.with_user(portal).checklist_line_ids  # noqa: B018
        # dispatchers edit the lines and the usage on the order form
        order.with_user(self.dispatcher).write(
            {"usage_line_ids": [fields.Command.create({"name": "Fuse", "quantity": 3})]}
        )
        self.assertEqual(order.usage_line_ids.mapped("name"), ["Fuse"])
