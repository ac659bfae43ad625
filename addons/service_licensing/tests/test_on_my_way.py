from odoo import Command, http
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestOnMyWay(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.assigned = cls.north_order
        cls.not_assigned = cls.south_order
        cls.manager = cls.manager_user

    def _post(self, url, data=None):
        return self.url_open(
            url, data={**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        )

    def test_on_my_way_tells_the_customer_and_shows_the_banner(self):
        self.assertEqual(self.assigned.state, "scheduled")
        self.north_user.partner_id.service_notify_visit_reminders = False
        self.authenticate(self.terry.login, self.terry.login)
        page = self.url_open(f"/my/work/{self.assigned.id}")
        self.assertIn('id="service_work_on_my_way"', page.text)
        before = set(self.assigned.message_ids.ids)
        response = self._post(f"/my/work/{self.assigned.id}/on-my-way", {"travel_minutes": "20"})
        self.assertIn("Saved.", response.text)
        self.assertIn('id="service_work_en_route"', response.text)
        self.assertTrue(self.assigned.is_en_route)
        message = self.assigned.message_ids.filtered(lambda m: m.id not in before)
        self.assertEqual(message.subject, f"On the way: {self.assigned.name}")
        customers = message.notification_ids.res_partner_id.filtered(
            lambda partner: partner.user_ids.share
        )
        self.assertEqual(customers, self.manager.partner_id)  # North turned visit emails off

        self.authenticate(self.manager_user.login, self.manager_user.login)
        page = self.url_open(f"/my/service-orders/{self.assigned.id}")
        self.assertIn('id="service_on_my_way"', page.text)
        self.assertIn("The technician is on the way", page.text)
        self.assertIn(self.assigned.expected_arrival_text, page.text)

    def test_only_the_assigned_technician_and_clear_errors(self):
        self.authenticate(self.terry.login, self.terry.login)
        response = self._post(f"/my/work/{self.not_assigned.id}/on-my-way", {"travel_minutes": "5"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.not_assigned.en_route_since)
        response = self._post(
            f"/my/work/{self.assigned.id}/on-my-way", {"travel_minutes": "tomorrow"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("travel time in minutes", response.text)
        self.assertFalse(self.assigned.en_route_since)
        # a customer cannot say the technician is coming
        self.authenticate(self.manager_user.login, self.manager_user.login)
        response = self._post(f"/my/work/{self.assigned.id}/on-my-way", {"travel_minutes": "5"})
        self.assertNotEqual(response.status_code, 500)
        self.assertFalse(self.assigned.en_route_since)

    def test_a_portal_technician_is_offered_only_while_licensed(self):
        self.env["service.arrival.window"].search([]).active = False
        self.env["service.arrival.window"].create(
            [{"weekday": str(day), "hour_from": 8, "hour_to": 10} for day in range(7)]
        )
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Every day 8-10",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": str(day),
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 10,
                            "day_period": "morning",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        self.env["service.technician"].search([]).active = False
        self.env["service.technician"].create(
            {"user_id": self.terry.id, "resource_calendar_id": calendar.id, "tz": "UTC"}
        )
        order = self.env["service.order"].create(
            {"partner_id": self.assigned.partner_id.id, "site_id": self.assigned.site_id.id}
        )
        free = order._arrival_free_windows()
        self.assertTrue(free)
        self.assertTrue(all(users == self.terry for users in free.values()))
        self.terry_licence.action_revoke()
        self.assertEqual(order._arrival_free_windows(), {})

    def test_work_page_links_the_map_and_the_on_site_phones(self):
        site = self.assigned.site_id
        site.write({"street": "1 Library Walk", "city": "Winslow", "zip": "W1 2AB", "phone": False})
        self.env["res.partner"].create(
            {"name": "Caretaker Carl", "parent_id": site.id, "phone": "+32 2 555 12 34"}
        )
        self.authenticate(self.terry.login, self.terry.login)
        page = self.url_open(f"/my/work/{self.assigned.id}").text
        self.assertIn(
            "https://www.google.com/maps/search/?api=1&amp;query=1+Library+Walk%2C+W1+2AB+Winslow",
            page,
        )
        self.assertIn('href="tel:+3225551234"', page)
        self.assertIn("Caretaker Carl", page)
        # marking done asks first
        self.assertIn('id="service_work_done_ask"', page)
        self.assertIn('id="service_work_done_confirm" class="collapse', page)
