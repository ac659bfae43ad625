from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ServicePortalCommon


@tagged("post_install", "-at_install")
class TestServiceRecords(ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()

    def _new_order(self, **values):
        return self.env["service.order"].create(
            {"partner_id": self.winslow.id, "site_id": self.north.id, **values}
        )

    # --- the one scope rule, on every record type ----------------------------------

    def test_scope_rule_on_orders_equipment_and_documents(self):
        expectations = {
            self.manager_user: (
                {self.north_order, self.south_order},
                {self.north_equipment, self.south_equipment},
            ),
            self.north_user: ({self.north_order}, {self.north_equipment}),
            self.parkway_user: ({self.parkway_order}, {self.parkway_equipment}),
        }
        demo_orders = self.north_order | self.south_order | self.parkway_order
        demo_equipment = self.north_equipment | self.south_equipment | self.parkway_equipment
        for user, (orders, equipment) in expectations.items():
            with self.subTest(user=user.login):
                Order = self.env["service.order"].with_user(user)
                Equipment = self.env["service.equipment"].with_user(user)
                self.assertEqual(set(Order.search([("id", "in", demo_orders.ids)])), orders)
                self.assertEqual(
                    set(Equipment.search([("id", "in", demo_equipment.ids)])), equipment
                )

    def test_documents_need_scope_and_publication(self):
        Document = self.env["service.document"]
        demo = (
            self.north_document
            | self.unpublished_document
            | self.south_document
            | self.parkway_document
        )
        self.assertEqual(
            Document.with_user(self.manager_user).search([("id", "in", demo.ids)]),
            self.north_document | self.south_document,
        )
        self.assertEqual(
            Document.with_user(self.north_user).search([("id", "in", demo.ids)]),
            self.north_document,
        )
        with self.assertRaises(AccessError):
            self.unpublished_document.with_user(self.manager_user).read(["name"])

    def test_portal_users_cannot_write(self):
        with self.assertRaises(AccessError):
            self.north_order.with_user(self.manager_user).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.env["service.equipment"].with_user(self.manager_user).create(
                {"name": "Mine", "partner_id": self.winslow.id}
            )

    def test_site_contact_sees_only_its_sites_invoices_and_quotes(self):
        product = self.env["product.product"].create({"name": "Call-out", "list_price": 80})
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.winslow.id,
                    "partner_shipping_id": site.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 80})
                    ],
                }
                for site in (self.north, self.south)
            ]
        )
        invoices.action_post()
        quotes = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.winslow.id,
                    "partner_shipping_id": site.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for site in (self.north, self.south)
            ]
        )
        north_invoice, south_invoice = invoices
        north_quote, _south_quote = quotes
        Move = self.env["account.move"]
        self.assertEqual(
            Move.with_user(self.north_user).search([("id", "in", invoices.ids)]), north_invoice
        )
        self.assertEqual(
            Move.with_user(self.manager_user).search([("id", "in", invoices.ids)]), invoices
        )
        self.assertFalse(Move.with_user(self.parkway_user).search([("id", "in", invoices.ids)]))
        with self.assertRaises(AccessError):
            south_invoice.with_user(self.north_user).read(["name"])
        Sale = self.env["sale.order"]
        self.assertEqual(
            Sale.with_user(self.north_user).search([("id", "in", quotes.ids)]), north_quote
        )
        self.assertEqual(
            Sale.with_user(self.manager_user).search([("id", "in", quotes.ids)]), quotes
        )
        # staff are not narrowed by the job-site rule
        self.assertEqual(Move.search([("id", "in", invoices.ids)]), invoices)

    def test_moving_a_contact_to_another_site_changes_what_it_sees_at_once(self):
        Order = self.env["service.order"].with_user(self.north_user)
        self.assertEqual(Order.search([("id", "=", self.south_order.id)]).ids, [])
        self.north_user.partner_id.parent_id = self.south
        self.assertEqual(Order.search([("id", "=", self.south_order.id)]), self.south_order)

    # --- orders --------------------------------------------------------------------

    def test_reference_and_consistency_checks(self):
        order = self._new_order()
        self.assertTrue(order.name.startswith("WO/"))
        with self.assertRaisesRegex(ValidationError, "does not belong to the customer"):
            self._new_order(partner_id=self.parkway.id)
        with self.assertRaisesRegex(ValidationError, "belongs to another customer"):
            self._new_order(equipment_id=self.parkway_equipment.id)
        start = fields.Datetime.now()
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self._new_order(date_start=start, date_end=start - timedelta(hours=1))

    def test_scheduling_mails_the_customers_contacts_who_want_it(self):
        self.north_user.partner_id.service_notify_order_updates = False
        order = self._new_order(date_start=fields.Datetime.now() + timedelta(days=2))
        order.action_schedule()
        message = order.message_ids.filtered(lambda m: "Visit scheduled" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.manager_user.partner_id, message.partner_ids)
        self.assertNotIn(self.north_user.partner_id, message.partner_ids)
        self.assertNotIn(self.parkway_user.partner_id, message.partner_ids)

    def test_site_contact_hears_of_its_site_only(self):
        south = self.env["service.order"].create(
            {
                "partner_id": self.winslow.id,
                "site_id": self.south.id,
                "date_start": fields.Datetime.now(),
            }
        )
        self.assertEqual(south._customer_recipients(), self.manager_user.partner_id)
        north = self._new_order()
        self.assertEqual(
            north._customer_recipients(), self.manager_user.partner_id | self.north_user.partner_id
        )

    def test_cannot_schedule_without_a_date(self):
        with self.assertRaisesRegex(UserError, "Set when"):
            self._new_order().action_schedule()

    def test_moving_a_scheduled_visit_tells_the_customer(self):
        order = self.north_order
        before = len(order.message_ids)
        order.write(
            {
                "date_start": order.date_start + timedelta(days=1),
                "date_end": order.date_end + timedelta(days=1),
            }
        )
        moved = order.message_ids[: len(order.message_ids) - before]
        self.assertTrue(any("Visit moved" in (m.subject or "") for m in moved))

    def test_customer_asks_to_reschedule_and_dispatcher_accepts(self):
        order = self.north_order.with_user(self.manager_user).sudo()
        preferred = (fields.Datetime.now() + timedelta(days=8)).replace(microsecond=0)
        duration = order.date_end - order.date_start
        order._portal_request_reschedule(preferred, "Library closed that day")
        self.assertEqual(order.customer_request, "reschedule")
        self.assertTrue(order.activity_ids)
        with self.assertRaisesRegex(UserError, "already waiting"):
            order._portal_request_cancel("twice")
        self.north_order.action_accept_customer_request()
        self.assertEqual(self.north_order.date_start, preferred)
        self.assertEqual(self.north_order.date_end - self.north_order.date_start, duration)
        self.assertFalse(self.north_order.customer_request)

    def test_customer_asks_to_cancel_and_dispatcher_refuses(self):
        self.north_order.with_user(self.north_user).sudo()._portal_request_cancel(
            "No longer needed"
        )
        self.north_order.action_refuse_customer_request()
        self.assertEqual(self.north_order.state, "scheduled")
        self.assertFalse(self.north_order.customer_request)
        self.assertIn("could not accept", self.north_order.message_ids[0].body)

    def test_cannot_change_a_visit_that_is_done_or_ask_for_the_past(self):
        with self.assertRaisesRegex(UserError, "Only an upcoming visit"):
            self.north_done_order.with_user(self.north_user).sudo()._portal_request_cancel(
                "too late"
            )
        with self.assertRaisesRegex(UserError, "in the future"):
            self.north_order.with_user(self.north_user).sudo()._portal_request_reschedule(
                fields.Datetime.now() - timedelta(days=1), ""
            )

    def test_sign_off_stores_signature_and_posts_the_report(self):
        signature = (  # a 1x1 PNG
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
        self.north_done_order.with_user(self.manager_user).sudo()._portal_sign_off(
            "Wanda Winslow", signature
        )
        self.assertEqual(self.north_done_order.signed_by, "Wanda Winslow")
        self.assertTrue(self.north_done_order.signed_on)
        last = self.north_done_order.message_ids[0]
        self.assertIn("signed by Wanda Winslow", last.body)
        self.assertEqual(len(last.attachment_ids), 1)
        with self.assertRaisesRegex(UserError, "not waiting for a signature"):
            self.north_done_order.with_user(self.manager_user).sudo()._portal_sign_off(
                "Again", signature
            )

    def test_completion_mails_the_report(self):
        order = self._new_order(date_start=fields.Datetime.now())
        order.action_start()
        order.action_done()
        message = order.message_ids.filtered(lambda m: "Work completed" in (m.subject or ""))
        self.assertEqual(len(message.attachment_ids), 1)

    def test_open_and_late_search(self):
        late = self._new_order(
            date_start=fields.Datetime.now() - timedelta(days=3),
            date_end=fields.Datetime.now() - timedelta(days=2),
        )
        Order = self.env["service.order"]
        self.assertIn(late, Order.search([("is_late", "=", True)]))
        self.assertNotIn(self.north_done_order, Order.search([("is_late", "=", True)]))
        self.assertIn(late, Order.search([("is_open", "=", True)]))
        self.assertNotIn(self.north_done_order, Order.search([("is_open", "=", True)]))
        self.assertIn(self.north_done_order, Order.search([("is_open", "=", False)]))

    # --- equipment -----------------------------------------------------------------

    def test_next_maintenance_from_history_and_interval(self):
        equipment = self.env["service.equipment"].create(
            {
                "name": "Chiller",
                "partner_id": self.winslow.id,
                "site_id": self.north.id,
                "install_date": fields.Date.today() - relativedelta(years=2),
                "maintenance_interval": 6,
            }
        )
        self.assertEqual(
            equipment.next_maintenance_date, equipment.install_date + relativedelta(months=6)
        )
        done_at = fields.Datetime.now() - timedelta(days=10)
        self._new_order(
            equipment_id=equipment.id, date_start=done_at, date_end=done_at, state="done"
        )
        self.assertEqual(equipment.last_service_date, done_at.date())
        self.assertEqual(equipment.next_maintenance_date, done_at.date() + relativedelta(months=6))
        planned = fields.Datetime.now() + timedelta(days=40)
        self._new_order(
            equipment_id=equipment.id, kind="maintenance", date_start=planned, state="scheduled"
        )
        self.assertEqual(equipment.next_maintenance_date, planned.date())

    def test_warranty_status(self):
        self.assertTrue(self.north_equipment.under_warranty)
        self.assertFalse(self.south_equipment.under_warranty)

    @mute_logger("odoo.sql_db")
    def test_serial_number_is_unique_per_customer(self):
        Equipment = self.env["service.equipment"]
        Equipment.create(
            {"name": "Other", "partner_id": self.parkway.id, "serial_number": "VHX-2019-0042"}
        )
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Equipment.create(
                {"name": "Twin", "partner_id": self.winslow.id, "serial_number": "VHX-2019-0042"}
            )

    def test_request_service_creates_a_draft_order_for_dispatchers(self):
        order = self.north_equipment.with_user(self.north_user)._portal_request_service(
            "Leaking valve"
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.site_id, self.north)
        self.assertEqual(order.equipment_id, self.north_equipment)
        self.assertIn(order, self.env["service.order"].with_user(self.north_user).search([]))

    # --- documents -----------------------------------------------------------------

    def test_document_takes_customer_and_site_from_what_it_is_attached_to(self):
        document = self.env["service.document"].create(
            {"name": "Checklist", "file": "aGVsbG8=", "order_id": self.south_order.id}
        )
        self.assertEqual(document.partner_id, self.winslow)
        self.assertEqual(document.site_id, self.south)
        self.assertFalse(document.published)
        with self.assertRaisesRegex(ValidationError, "must have the customer and site"):
            document.site_id = self.north

    def test_status_timeline_lists_every_change(self):
        order = self._new_order(date_start=fields.Datetime.now() + timedelta(days=1))
        # each step in its own transaction, as in real use: tracking is written at commit
        self.env.cr.precommit.run()
        order.action_schedule()
        self.env.cr.precommit.run()
        order.action_start()
        self.env.cr.precommit.run()
        self.assertEqual(
            [label for _date, label in order._portal_status_timeline()],
            # the customer's words for the states
            ["Not scheduled yet", "Scheduled", "In progress"],
        )
        self.assertEqual(
            [label for _date, label in self.south_order._portal_status_timeline()], ["Scheduled"]
        )

    def test_calendar_shows_orders_without_an_end(self):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
        order = self._new_order(date_start=start)
        order.date_end = False
        self.assertEqual(order.calendar_date_end, start + timedelta(hours=1))
        # the calendar's own domain for the week around the visit
        week = self.env["service.order"].search(
            [
                ("date_start", "<=", start + timedelta(days=3)),
                ("calendar_date_end", ">=", start - timedelta(days=3)),
            ]
        )
        self.assertIn(order, week)
        # moving the event's end on the calendar sets the scheduled end
        order.calendar_date_end = start + timedelta(hours=3)
        self.assertEqual(order.date_end, start + timedelta(hours=3))
