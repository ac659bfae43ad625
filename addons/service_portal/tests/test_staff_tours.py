from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDispatcherTour(HttpCase):
    """The dispatcher's day in the browser: schedules an order, publishes its document and
    accepts a customer's reschedule request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env, login="tour_dispatcher", groups="service_portal.group_service_user"
        )
        Partner = cls.env["res.partner"]
        bakery = Partner.create({"name": "Harbour Bakery", "is_company": True})
        bakery_site = Partner.create(
            {"name": "Quay Street", "service_is_job_site": True, "parent_id": bakery.id}
        )
        dental = Partner.create({"name": "Mill Lane Dental", "is_company": True})
        dental_site = Partner.create(
            {"name": "Mill Lane", "service_is_job_site": True, "parent_id": dental.id}
        )
        Order = cls.env["service.order"]
        cls.draft_order = Order.create(
            {
                "partner_id": bakery.id,
                "site_id": bakery_site.id,
                "date_start": datetime(2031, 3, 4, 9, 0),
                "date_end": datetime(2031, 3, 4, 11, 0),
                "document_ids": [
                    Command.create(
                        {"name": "Wiring diagram", "file": "d2lyaW5n", "file_name": "wiring.txt"}
                    )
                ],
            }
        )
        cls.document = cls.draft_order.document_ids
        cls.requested_order = Order.create(
            {
                "partner_id": dental.id,
                "site_id": dental_site.id,
                "date_start": datetime(2031, 3, 5, 9, 0),
                "date_end": datetime(2031, 3, 5, 10, 0),
            }
        )
        cls.requested_order.action_schedule()
        cls.requested_order.write(
            {
                "customer_request": "reschedule",
                "customer_request_date": datetime(2031, 3, 12, 14, 0),
                "customer_request_note": "The surgery is closed that day.",
            }
        )

    def test_dispatcher_schedules_publishes_and_answers_a_reschedule(self):
        self.assertFalse(self.document.published)
        self.start_tour(
            "/odoo/action-service_portal.action_service_orders",
            "service_portal_dispatcher",
            login=self.dispatcher.login,
        )
        self.assertEqual(self.draft_order.state, "scheduled")
        self.assertTrue(self.document.published)
        self.assertEqual(self.requested_order.date_start, datetime(2031, 3, 12, 14, 0))
        self.assertEqual(self.requested_order.date_end, datetime(2031, 3, 12, 15, 0))
        self.assertFalse(self.requested_order.customer_request)
        self.assertEqual(self.requested_order.state, "scheduled")
