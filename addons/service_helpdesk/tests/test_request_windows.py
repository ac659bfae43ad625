"""Arrival windows from a support request (issue #16): the customer picks the free windows of
the job site on the request form, the dispatcher confirms one from the request, which
schedules the visit through service_portal's own path; stale or hostile input writes nothing."""

import re

from odoo.addons.service_portal.tests.common import setup_arrival_windows
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import HelpdeskCommon, PortalHttpMixin

STALE = "2020-01-01T08:00/2020-01-01T10:00"


class RequestWindowsMixin(HelpdeskCommon):
    @classmethod
    def _setup_windows(cls):
        cls._setup_helpdesk()
        cls.tech = setup_arrival_windows(cls.env)
        cls.type_breakdown.needs_visit = True
        cls.type_question.needs_visit = False
        cls.dispatcher = new_test_user(
            cls.env,
            "request.windows.dispatcher",
            groups="service_portal.group_service_user,service_helpdesk.group_helpdesk_agent",
            name="Dana Dispatch",
        )

    def _offered_keys(self, site=None):
        offered, _tz = self.env["service.ticket"]._portal_visit_offer(
            self.type_breakdown, self.winslow, site or self.site_north
        )
        return [key for key, _label in offered]

    def _new_ticket(self, user, **values):
        return (
            self.env["service.ticket"]
            .with_user(user)
            .sudo()
            .create(
                {
                    "subject": "The heating is off",
                    "description": "<p>Cold radiators on every floor.</p>",
                    "type_id": self.type_breakdown.id,
                    "partner_id": self.winslow.id,
                    "site_id": self.site_north.id,
                    "requester_id": user.partner_id.id,
                    **values,
                }
            )
        )


@tagged("post_install", "-at_install")
class TestRequestWindowsModel(RequestWindowsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_windows()

    def test_windows_stored_then_confirmed_into_the_visit(self):
        keys = self._offered_keys()
        self.assertGreater(len(keys), 2, "the technician's windows are offered")
        ticket = self._new_ticket(self.north_user)
        order = ticket._portal_request_visit(keys[:2])
        self.assertEqual(ticket.visit_order_id, order)
        self.assertEqual(order.service_ticket_ids, ticket)
        self.assertEqual(
            (order.state, order.partner_id, order.site_id), ("draft", self.winslow, self.site_north)
        )
        self.assertIn(ticket.name, order.description)
        self.assertEqual(order.arrival_window_ids.mapped("state"), ["proposed", "proposed"])
        self.assertTrue(ticket.visit_windows_to_confirm)
        asked = ticket.message_ids.filtered(lambda m: "A visit is asked for" in (m.body or ""))
        self.assertEqual(asked.author_id, self.north_user.partner_id)
        for window in order.arrival_window_ids:
            self.assertIn(window.label, str(asked.body))

        first = order.arrival_window_ids.sorted("window_start")[0]
        before = set(order.message_ids.ids)
        ticket.with_user(self.dispatcher).action_confirm_visit_window()
        self.assertEqual(
            (order.state, order.date_start, order.date_end, order.technician_ids),
            ("scheduled", first.window_start, first.window_end, self.tech),
        )
        self.assertEqual(first.state, "confirmed")
        self.assertFalse(ticket.visit_windows_to_confirm)
        # the customer gets the "Visit confirmed" mail of every other path
        mail = order.message_ids.filtered(lambda m: m.id not in before and m.subject)
        self.assertEqual(mail.subject, f"Visit confirmed: {order.name}")
        self.assertIn(self.manager_user.partner_id, mail.partner_ids)
        self.assertNotIn(self.parkway_user.partner_id, mail.partner_ids)
        # and reads it in the request's conversation, without a second email
        logged = ticket.message_ids.filtered(lambda m: "Visit confirmed" in (m.body or ""))
        self.assertEqual(len(logged), 1)
        self.assertIn(first.label, str(logged.body))
        self.assertFalse(logged.is_internal)
        self.assertFalse(logged.subtype_id.internal)
        self.assertFalse(logged.notification_ids)

    def test_confirming_a_window_taken_in_between_is_refused(self):
        keys = self._offered_keys()
        ticket = self._new_ticket(self.north_user)
        ticket._portal_request_visit(keys[:1])
        window = ticket.visit_order_id.arrival_window_ids
        # another order takes the same window of the only technician meanwhile
        other = self.env["service.order"].create(
            {"partner_id": self.winslow.id, "site_id": self.site_south.id}
        )
        self.env["service.order.window"].create(
            {
                "order_id": other.id,
                "window_start": window.window_start,
                "window_end": window.window_end,
            }
        ).action_confirm()
        with self.assertRaisesRegex(UserError, "None of the windows the customer picked is free"):
            ticket.with_user(self.dispatcher).action_confirm_visit_window()
        with self.assertRaisesRegex(UserError, "No technician is free"):
            window.with_user(self.dispatcher).action_confirm()
        self.assertEqual(window.state, "proposed")
        self.assertEqual(ticket.visit_order_id.state, "draft")
        # a help-desk agent who is no dispatcher is told so, and confirms nothing
        agent = new_test_user(
            self.env, "request.windows.agent", groups="service_helpdesk.group_helpdesk_agent"
        )
        with self.assertRaises(AccessError):
            ticket.with_user(agent).action_confirm_visit_window()
        self.assertFalse(ticket.message_ids.filtered(lambda m: "Visit confirmed" in (m.body or "")))

    def test_stale_or_foreign_windows_and_natures_without_visits_are_refused(self):
        ticket = self._new_ticket(self.north_user)
        for windows, message in (
            ([STALE], "no longer free"),
            (["<script>"], "no longer free"),
            (self._offered_keys()[:11], "at most"),
        ):
            with self.assertRaisesRegex(UserError, message):
                ticket._portal_request_visit(windows)
        question = self._new_ticket(self.north_user, type_id=self.type_question.id)
        with self.assertRaisesRegex(UserError, "does not ask for a visit"):
            question._portal_request_visit(self._offered_keys()[:1])
        self.assertFalse((ticket | question).visit_order_id)
        # no window: the request works as before, without a visit
        self.assertFalse(ticket._portal_request_visit([]))

    def test_the_operator_turning_service_requests_off_hides_the_windows(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "service_portal.hide_equipment_request", "1"
        )
        self.assertEqual(
            self.env["service.ticket"]._portal_visit_offer(
                self.type_breakdown, self.winslow, self.site_north
            ),
            ([], False),
        )


@tagged("post_install", "-at_install")
class TestRequestWindowsPortal(RequestWindowsMixin, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_windows()

    def _keys(self, html):
        return re.findall(r'name="windows"[^>]*value="([^"]+)"', html)

    def _written(self):
        return (
            self.env["service.ticket"].search_count([("subject", "=", "Boiler leaking")]),
            self.env["service.order"].search_count([]),
        )

    def test_form_offers_the_windows_of_the_site_and_posts_them(self):
        self._login("north")
        form = self.url_open(f"/my/requests/new?type_id={self.type_breakdown.id}")
        keys = self._keys(form.text)
        self.assertTrue(keys)
        self.assertIn('id="service_arrival_picker"', form.text)
        self.assertEqual(keys, self._offered_keys())
        # a nature that needs no visit shows no picker
        question = self.url_open(f"/my/requests/new?type_id={self.type_question.id}")
        self.assertNotIn('name="windows"', question.text)

        response = self._post("/my/requests/new", self._breakdown_form(windows=keys[:2]))
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self.env["service.ticket"].search([("subject", "=", "Boiler leaking")])
        self.assertEqual(len(ticket.visit_order_id.arrival_window_ids), 2)
        page = self.url_open(f"/my/requests/{ticket.id}")
        self.assertIn('id="request_visit"', page.text)
        self.assertIn('id="service_arrival_requested"', page.text)
        self.assertIn(f"/my/service-orders/{ticket.visit_order_id.id}", page.text)

        ticket.with_user(self.dispatcher).action_confirm_visit_window()
        page = self.url_open(f"/my/requests/{ticket.id}")
        self.assertIn('id="service_arrival_window"', page.text)
        self.assertIn(ticket.visit_order_id.arrival_window_text, page.text)

    def test_windows_picked_stay_picked_when_another_field_is_refused(self):
        self._login("north")
        keys = self._offered_keys()
        before = self._written()
        response = self._post(
            "/my/requests/new", self._breakdown_form(subject="", windows=keys[1:3])
        )
        response = self._assert_outcome(response, error="Please give your request a subject.")
        checked = re.findall(r'name="windows"[^>]*value="([^"]+)"[^>]*checked', response.text)
        self.assertEqual(checked, keys[1:3])
        self.assertEqual(self._written(), before)

    def test_a_request_without_windows_works_as_today(self):
        self._login("north")
        response = self._post("/my/requests/new", self._breakdown_form())
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self.env["service.ticket"].search([("subject", "=", "Boiler leaking")])
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.visit_order_id)
        self.assertNotIn('id="request_visit"', self.url_open(f"/my/requests/{ticket.id}").text)

    def test_stale_window_or_foreign_site_writes_nothing(self):
        self._login("manager")
        keys = self._offered_keys()
        before = self._written()
        response = self._post("/my/requests/new", self._breakdown_form(windows=[keys[0], STALE]))
        response = self._assert_outcome(response, error="no longer free")
        self.assertIn('id="windows_error"', response.text)
        self.assertIn('aria-describedby="windows_error"', response.text)
        self.assertEqual(self._written(), before)
        # another customer's site: refused on the site, nothing written
        response = self._post(
            "/my/requests/new", self._breakdown_form(site_id=self.site_parkway.id, windows=keys[:1])
        )
        self._assert_outcome(response, error="Please pick one of your job sites")
        self.assertEqual(self._written(), before)
        # a nature without visits: the windows are refused
        response = self._post(
            "/my/requests/new",
            {
                "type_id": self.type_question.id,
                "subject": "Boiler leaking",
                "description": "Which pressure is right?",
                "windows": keys[:1],
            },
        )
        self._assert_outcome(response, error="does not ask for a visit")
        self.assertEqual(self._written(), before)

    def test_windows_route_follows_the_site_and_never_leaks(self):
        url = f"/my/requests/new/windows/{self.type_breakdown.id}?"
        self._login("manager")
        self.assertIn("Pick the job site", self.url_open(url).text)
        south = self.url_open(f"{url}site_id={self.site_south.id}")
        self.assertEqual(self._keys(south.text), self._offered_keys(self.site_south))
        self.assertEqual(self.url_open(f"{url}site_id={self.site_parkway.id}").status_code, 404)
        self.assertEqual(self.url_open(f"{url}site_id=abc").status_code, 404)
        self.assertEqual(
            self.url_open("/my/requests/new/windows/999999?site_id=1").status_code, 404
        )
        # a site contact only ever gets its own site's windows
        self._login("north")
        own = self.url_open(f"{url}site_id={self.site_south.id}")
        self.assertEqual(self._keys(own.text), self._offered_keys(self.site_north))

    def test_other_customer_and_technician_cannot_see_the_request_or_its_visit(self):
        ticket = self._new_ticket(self.north_user)
        ticket._portal_request_visit(self._offered_keys()[:1])
        ticket.with_user(self.dispatcher).action_confirm_visit_window()
        technician = new_test_user(
            self.env, "request.windows.portal.tech", groups="base.group_portal"
        )
        technician.password = technician.login
        ticket.visit_order_id.technician_ids = [(4, technician.id)]
        for login, password in (
            (self.parkway_user.login, self.PASSWORDS[self.parkway_user.login]),
            (technician.login, technician.login),
        ):
            with self.subTest(login=login):
                self.authenticate(login, password)
                response = self.url_open(f"/my/requests/{ticket.id}")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(ticket.subject, response.text)
                windows = self.url_open(
                    f"/my/requests/new/windows/{self.type_breakdown.id}"
                    f"?site_id={self.site_north.id}"
                )
                self.assertEqual(windows.status_code, 404)
                self.assertNotIn('name="windows"', windows.text)
