"""Arrival windows computed from the technicians' working calendars, leaves and planned
visits; picked by the customer, confirmed by the dispatcher; and "on my way"."""

import re
from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ServicePortalCommon

# Monday 23 March 2026, 06:00 in Brussels. Europe goes to summer time on Sunday 29 March:
# a window of 8:00 in Brussels is 7:00 UTC the first week and 6:00 UTC the second.
NOW = datetime(2026, 3, 23, 5, 0)


def utc(*args):
    return datetime(*args)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestArrivalWindows(ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()
        env = cls.env
        params = env["ir.config_parameter"].sudo()
        params.set_param("service_portal.arrival_lead_hours", "12")
        params.set_param("service_portal.arrival_horizon_days", "14")
        env["service.arrival.window"].search([]).active = False
        env["service.technician"].search([]).active = False
        windows = [(day, hours) for day in "01234" for hours in ((8, 10), (10, 12), (13, 15))]
        windows += [("5", (8, 10)), ("2", (11, 13))]  # Saturday is off, 12:00-13:00 is lunch
        env["service.arrival.window"].create(
            [{"weekday": day, "hour_from": start, "hour_to": end} for day, (start, end) in windows]
        )
        cls.calendar = env["resource.calendar"].create(
            {
                "name": "Brussels technicians",
                "tz": "Europe/Brussels",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": day,
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in "01234"
                    for start, end, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )
        cls.tech = new_test_user(env, "arrival.tech", groups="base.group_user", name="Tess Tech")
        cls.tech_parkway = new_test_user(
            env, "arrival.parkway", groups="base.group_user", name="Pat Parkway"
        )
        cls.availability = env["service.technician"].create(
            {
                "user_id": cls.tech.id,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Brussels",
            }
        )
        install = env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "service.order"),
                ("field_id.name", "=", "kind"),
                ("value", "=", "install"),
            ]
        )
        cls.availability_parkway = env["service.technician"].create(
            {
                "user_id": cls.tech_parkway.id,
                "resource_calendar_id": cls.calendar.id,
                "tz": "Europe/Brussels",
                "site_ids": [Command.set(cls.parkway.ids)],
                "kind_ids": [Command.set(install.ids)],
            }
        )
        cls.winslow.tz = "America/New_York"
        cls.north.tz = False
        cls.dispatcher = new_test_user(
            env, "arrival.dispatcher", groups="service_portal.group_service_user"
        )

    def _order(self, **values):
        return self.env["service.order"].create(
            {"partner_id": self.winslow.id, "site_id": self.north.id, **values}
        )

    # --- free windows -----------------------------------------------------------

    def test_windows_follow_the_calendar_across_daylight_saving(self):
        free = self._order()._arrival_free_windows()
        # Tuesday 24 March to Monday 6 April: 10 working days of 3 windows; Monday 23 is
        # within the 12 hours' notice, Saturday is not worked, 11:00-13:00 covers the lunch.
        self.assertEqual(len(free), 30, sorted(free))
        self.assertIn((utc(2026, 3, 24, 7), utc(2026, 3, 24, 9)), free)  # 8:00 CET
        self.assertIn((utc(2026, 3, 31, 6), utc(2026, 3, 31, 8)), free)  # 8:00 CEST
        self.assertIn((utc(2026, 3, 31, 11), utc(2026, 3, 31, 13)), free)  # 13:00 CEST
        self.assertNotIn((utc(2026, 3, 31, 7), utc(2026, 3, 31, 9)), free)
        self.assertNotIn((utc(2026, 3, 28, 7), utc(2026, 3, 28, 9)), free)  # Saturday
        self.assertNotIn((utc(2026, 3, 25, 10), utc(2026, 3, 25, 12)), free)  # lunch
        self.assertTrue(all(users == self.tech for users in free.values()))

    def test_windows_are_shown_in_the_customers_time_zone(self):
        order = self._order()
        offered = dict(order._arrival_offered())
        label = offered["2026-03-24T07:00/2026-03-24T09:00"]
        # New York is on summer time since 8 March: 7:00 UTC is 3:00 there
        self.assertEqual(
            re.sub(r"\s", " ", label), "Tue, Mar 24 · 3:00 AM\N{EN DASH}5:00 AM", offered
        )
        # the viewer's own zone changes nothing: page and email tell the customer's zone
        portal_order = order.with_user(self.north_user)
        self.north_user.tz = "Asia/Tokyo"
        label = dict(portal_order.sudo()._arrival_offered())["2026-03-31T06:00/2026-03-31T08:00"]
        self.assertEqual(re.sub(r"\s", " ", label), "Tue, Mar 31 · 2:00 AM\N{EN DASH}4:00 AM")

    def test_planned_visits_take_their_windows(self):
        self._order(
            technician_ids=[Command.set(self.tech.ids)],
            date_start=utc(2026, 3, 24, 8, 30),
            date_end=utc(2026, 3, 24, 9, 30),
            state="scheduled",
        )
        self._order(  # a cancelled visit frees its time
            technician_ids=[Command.set(self.tech.ids)],
            date_start=utc(2026, 3, 26, 7),
            date_end=utc(2026, 3, 26, 9),
            state="cancelled",
        )
        free = self._order()._arrival_free_windows()
        self.assertNotIn((utc(2026, 3, 24, 7), utc(2026, 3, 24, 9)), free)
        self.assertNotIn((utc(2026, 3, 24, 9), utc(2026, 3, 24, 11)), free)
        self.assertIn((utc(2026, 3, 24, 12), utc(2026, 3, 24, 14)), free)
        self.assertIn((utc(2026, 3, 26, 7), utc(2026, 3, 26, 9)), free)

    def test_a_technician_on_leave_offers_nothing(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holidays",
                "resource_id": self.availability.resource_id.id,
                "date_from": utc(2026, 3, 20),
                "date_to": utc(2026, 4, 30),
            }
        )
        self.assertEqual(self._order()._arrival_free_windows(), {})
        self.assertEqual(self._order()._arrival_offered(), [])

    def test_a_half_day_leave_removes_only_its_windows(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.availability.resource_id.id,
                "date_from": utc(2026, 3, 26, 12),
                "date_to": utc(2026, 3, 26, 16),
            }
        )
        free = self._order()._arrival_free_windows()
        self.assertNotIn((utc(2026, 3, 26, 12), utc(2026, 3, 26, 14)), free)
        self.assertIn((utc(2026, 3, 26, 9), utc(2026, 3, 26, 11)), free)

    def test_technicians_serve_their_customers_and_skills(self):
        north_free = self._order(kind="install")._arrival_free_windows()
        self.assertTrue(north_free)
        self.assertNotIn(self.tech_parkway, set().union(*north_free.values()))
        parkway = self.env["service.order"].create(
            {"partner_id": self.parkway.id, "site_id": self.parkway_site.id, "kind": "install"}
        )
        window = (utc(2026, 3, 24, 7), utc(2026, 3, 24, 9))
        self.assertEqual(parkway._arrival_free_windows()[window], self.tech | self.tech_parkway)
        parkway.kind = "service"  # not a skill of Pat's
        self.assertEqual(parkway._arrival_free_windows()[window], self.tech)

    # --- customer picks, dispatcher confirms ------------------------------------

    def test_customer_picks_windows_and_the_dispatcher_confirms_one(self):
        order = self._order()
        as_customer = order.with_user(self.north_user).sudo()
        as_customer._portal_request_reschedule_windows(
            ["2026-03-24T07:00/2026-03-24T09:00", "2026-03-25T12:00/2026-03-25T14:00"],
            "Mornings are best",
        )
        self.assertEqual(order.customer_request, "reschedule")
        proposed = order.arrival_window_ids
        self.assertEqual(proposed.mapped("state"), ["proposed", "proposed"])
        before = set(order.message_ids.ids)
        proposed[1].with_user(self.dispatcher).action_confirm()
        self.assertEqual(proposed.mapped("state"), ["cancelled", "confirmed"])
        self.assertEqual(proposed[1].technician_id, self.tech)
        self.assertEqual(
            (order.state, order.date_start, order.date_end, order.technician_ids),
            ("scheduled", utc(2026, 3, 25, 12), utc(2026, 3, 25, 14), self.tech),
        )
        self.assertFalse(order.customer_request)
        mail = order.message_ids.filtered(lambda m: m.id not in before and m.subject)
        self.assertEqual(mail.subject, f"Visit confirmed: {order.name}")
        self.assertIn(self.manager_user.partner_id, mail.partner_ids)
        self.assertNotIn(self.parkway_user.partner_id, mail.partner_ids)
        self.assertIn(
            "Wed, Mar 25 · 8:00 AM\N{EN DASH}10:00 AM (America/New_York)",
            re.sub(r"\s", " ", str(mail.body)),
        )
        # the window is taken: no other customer is offered it
        self.assertNotIn(
            (utc(2026, 3, 25, 12), utc(2026, 3, 25, 14)), self._order()._arrival_free_windows()
        )
        # and the visit moves: its old window is given back
        order.with_user(self.north_user).sudo()._portal_request_reschedule_windows(
            ["2026-03-26T07:00/2026-03-26T09:00"], ""
        )
        order._arrival_confirm_first()
        self.assertEqual(order.date_start, utc(2026, 3, 26, 7))
        self.assertIn(
            (utc(2026, 3, 25, 12), utc(2026, 3, 25, 14)), self._order()._arrival_free_windows()
        )

    def test_a_cancelled_or_moved_visit_gives_its_window_back(self):
        window = (utc(2026, 3, 24, 7), utc(2026, 3, 24, 9))
        for change in (
            {"state": "cancelled"},
            {"date_start": utc(2026, 3, 24, 12), "date_end": utc(2026, 3, 24, 14)},
            {"technician_ids": [Command.clear()]},
        ):
            order = self._order()
            proposal = self.env["service.order.window"].create(
                {"order_id": order.id, "window_start": window[0], "window_end": window[1]}
            )
            proposal.action_confirm()
            self.assertNotIn(window, self._order()._arrival_free_windows())
            order.write(change)
            self.assertEqual(proposal.state, "cancelled", change)
            self.assertIn(window, self._order()._arrival_free_windows(), change)

    def test_a_window_no_longer_free_is_refused(self):
        order = self._order()
        as_customer = order.with_user(self.north_user).sudo()
        for keys in (
            ["2026-03-28T07:00/2026-03-28T09:00"],  # Saturday: never offered
            ["2026-03-24T07:00/2026-03-24T10:00"],  # not a window
            ["garbage"],
        ):
            with self.assertRaisesRegex(UserError, "no longer free"):
                as_customer._portal_request_reschedule_windows(keys, "")
        with self.assertRaisesRegex(UserError, "at least one window"):
            as_customer._portal_request_reschedule_windows([], "")
        self.assertFalse(order.customer_request)
        self.assertFalse(order.arrival_window_ids)
        # only the customer's contacts ask
        with self.assertRaises(AccessError):
            order.with_user(self.parkway_user).sudo()._portal_request_reschedule_windows(
                ["2026-03-24T07:00/2026-03-24T09:00"], ""
            )

    def test_request_service_from_equipment_with_windows(self):
        equipment = self.north_equipment.with_user(self.north_user).sudo()
        order = equipment._portal_request_service(
            "It rattles", windows=["2026-03-24T09:00/2026-03-24T11:00"]
        )
        self.assertEqual(order.arrival_window_ids.state, "proposed")
        self.assertEqual(order.arrival_window_ids.window_start, utc(2026, 3, 24, 9))
        order.arrival_window_ids.with_user(self.dispatcher).action_confirm()
        self.assertEqual(order.state, "scheduled")

    def test_confirming_into_a_taken_window_is_refused(self):
        first, second = self._order(), self._order()
        window = {"window_start": utc(2026, 3, 24, 7), "window_end": utc(2026, 3, 24, 9)}
        Window = self.env["service.order.window"]
        mine = Window.create({"order_id": first.id, **window})
        theirs = Window.create({"order_id": second.id, **window})
        mine.action_confirm()
        with self.assertRaisesRegex(UserError, "No technician is free"):
            theirs.action_confirm()
        self.assertEqual(theirs.state, "proposed")

    def test_the_database_refuses_two_confirmed_overlapping_windows(self):
        first, second = self._order(), self._order()
        Window = self.env["service.order.window"]
        Window.create(
            {
                "order_id": first.id,
                "window_start": utc(2026, 3, 24, 7),
                "window_end": utc(2026, 3, 24, 9),
                "technician_id": self.tech.id,
                "state": "confirmed",
            }
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Window.create(
                    {
                        "order_id": second.id,
                        "window_start": utc(2026, 3, 24, 8),
                        "window_end": utc(2026, 3, 24, 10),
                        "technician_id": self.tech.id,
                        "state": "confirmed",
                    }
                )
                self.env.flush_all()

    # --- on my way ----------------------------------------------------------------

    def test_on_my_way_tells_the_customers_contacts_who_want_it(self):
        order = self._order(
            technician_ids=[Command.set(self.tech.ids)],
            date_start=NOW + timedelta(minutes=20),
            date_end=NOW + timedelta(hours=2),
            state="scheduled",
        )
        self.north_user.partner_id.service_notify_visit_reminders = False
        # a follower who turned visit emails off is not told either
        order.message_subscribe(
            partner_ids=(self.north_user.partner_id | self.dispatcher.partner_id).ids
        )
        before = set(order.message_ids.ids)
        order._service_on_my_way(30)
        self.assertTrue(order.is_en_route)
        # 30 minutes from now, a quarter of an hour either side
        self.assertEqual(order.expected_arrival_start, NOW + timedelta(minutes=20))
        self.assertEqual(order.expected_arrival_end, NOW + timedelta(minutes=45))
        mail = order.message_ids.filtered(lambda m: m.id not in before)
        self.assertEqual(mail.subject, f"On the way: {order.name}")
        notified = mail.notification_ids.res_partner_id
        self.assertIn(self.manager_user.partner_id, notified)
        self.assertNotIn(self.north_user.partner_id, notified)
        self.assertNotIn(self.parkway_user.partner_id, notified)
        self.assertFalse(
            notified.filtered(lambda p: p.user_ids.share) - self.manager_user.partner_id
        )
        order.action_start()
        self.assertFalse(order.is_en_route)

    def test_on_my_way_refuses_what_is_not_a_scheduled_visit(self):
        order = self._order()
        with self.assertRaisesRegex(UserError, "scheduled"):
            order._service_on_my_way(10)
        order.write({"state": "scheduled", "date_start": NOW + timedelta(hours=1)})
        for bad in ("soon", -5, 100000):
            with self.assertRaisesRegex(UserError, "travel time"):
                order._service_on_my_way(bad)
        self.assertFalse(order.en_route_since)
