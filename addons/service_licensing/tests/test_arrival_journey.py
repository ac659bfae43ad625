"""The arrival-window journey in Chromium, at phone width for the customer and the
technician: the customer requests service and picks windows, the dispatcher confirms one in
one click, the technician goes on the way, the customer's page shows the banner."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestArrivalJourney(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        ref = env.ref
        cls.terry = ref("service_licensing.user_technician_terry")
        cls.manager = ref("service_portal.user_winslow_manager")
        cls.equipment = ref("service_portal.equipment_north_boiler")
        # the windows are told in the job site's zone (the customer's), never the viewer's
        cls.equipment.site_id.tz = "Europe/Brussels"
        cls.manager.tz = "Asia/Tokyo"
        for user in (cls.terry, cls.manager):
            user.password = user.login  # start_tour logs in with the login as password
        env["service.arrival.window"].search([]).active = False
        env["service.arrival.window"].create(
            [
                {"weekday": str(day), "hour_from": start, "hour_to": start + 2}
                for day in range(7)
                for start in (8, 10, 13)
            ]
        )
        calendar = env["resource.calendar"].create(
            {
                "name": "Every day",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    Command.clear(),
                    *[
                        Command.create(
                            {
                                "name": f"{day} {period}",
                                "dayofweek": str(day),
                                "hour_from": start,
                                "hour_to": end,
                                "day_period": period,
                            }
                        )
                        for day in range(7)
                        for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                    ],
                ],
            }
        )
        env["service.technician"].search([]).active = False
        env["service.technician"].create(
            {"user_id": cls.terry.id, "resource_calendar_id": calendar.id}
        )
        cls.dispatcher = new_test_user(
            env, login="arrival_dispatcher", groups="service_portal.group_service_user"
        )

    def test_request_confirm_on_my_way_banner(self):
        Order = self.env["service.order"]
        before = Order.search([("equipment_id", "=", self.equipment.id)])
        self.browser_size = "375x812"
        self.start_tour(
            f"/my/equipment/{self.equipment.id}",
            "service_arrival_customer_request",
            login=self.manager.login,
            timeout=180,
        )
        order = Order.search([("equipment_id", "=", self.equipment.id)]) - before
        self.assertEqual(len(order), 1)
        self.assertEqual(order.arrival_window_ids.mapped("state"), ["proposed", "proposed"])
        first = order.arrival_window_ids.sorted("window_start")[0]

        self.browser_size = "1366x768"
        self.start_tour(
            f"/odoo/action-service_portal.action_service_orders/{order.id}",
            "service_arrival_dispatcher_confirms",
            login=self.dispatcher.login,
            timeout=180,
        )
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(order.technician_ids, self.terry)
        self.assertEqual(order.date_start, first.window_start)
        self.assertIn(
            f"Visit confirmed: {order.name}", order.message_ids.mapped("subject"), "customer told"
        )

        self.browser_size = "375x812"
        self.start_tour(
            f"/my/work/{order.id}",
            "service_arrival_technician_on_my_way",
            login=self.terry.login,
            timeout=180,
        )
        self.assertTrue(order.is_en_route)
        self.start_tour(
            f"/my/service-orders/{order.id}",
            "service_arrival_customer_banner",
            login=self.manager.login,
            timeout=180,
        )
