"""Arrival windows from a support request in Chromium: the customer files a breakdown with a
window at phone width, the dispatcher confirms it from the request in the backend, the
customer sees the confirmed window on the request."""

from odoo.addons.service_portal.tests.a11y import AxeTourMixin
from odoo.tests import HttpCase, tagged

from .test_request_windows import RequestWindowsMixin


@tagged("post_install", "-at_install")
class TestRequestWindowsTour(RequestWindowsMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_windows()
        # the windows are told in the job site's zone, whatever the viewer's own
        cls.site_north.tz = "Europe/Brussels"
        cls.manager_user.tz = "Asia/Tokyo"
        for user in (cls.manager_user, cls.dispatcher):
            user.password = user.login  # start_tour logs in with the login as password

    def test_customer_picks_dispatcher_confirms_customer_sees(self):
        Ticket = self.env["service.ticket"]
        self._service_tour(
            f"/my/requests/new?type_id={self.type_breakdown.id}",
            "service_helpdesk_request_windows_customer",
            self.manager_user,
        )
        ticket = Ticket.search([("subject", "=", "The heating is off")])
        self.assertEqual(len(ticket), 1)
        order = ticket.visit_order_id
        window = self._service_proposed_windows(order)[1]

        self._service_tour(
            f"/odoo/action-service_helpdesk.service_ticket_action/{ticket.id}",
            "service_helpdesk_request_windows_dispatcher",
            self.dispatcher,
            "desktop",
        )
        self.assertEqual(
            (order.state, order.date_start, order.technician_ids),
            ("scheduled", window.window_start, self.tech),
        )
        self.assertIn(f"Visit confirmed: {order.name}", order.message_ids.mapped("subject"))

        self._service_tour(
            f"/my/requests/{ticket.id}",
            "service_helpdesk_request_windows_confirmed",
            self.manager_user,
        )


@tagged("post_install", "-at_install")
class TestRequestWindowsAccessibility(AxeTourMixin, RequestWindowsMixin, HttpCase):
    """WCAG 2.1 A/AA (axe-core) on the request form with its windows and on the request
    page with its visit asked for, then confirmed, at 375 and 1280 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_windows()

    def test_window_pages_are_accessible(self):
        asked = self._new_ticket(self.north_user)
        asked._portal_request_visit(self._offered_keys()[:2])
        confirmed = self._new_ticket(self.north_user, subject="The gate sticks")
        confirmed._portal_request_visit(self._offered_keys()[2:3])
        confirmed.with_user(self.dispatcher).action_confirm_visit_window()
        self.north_user.password = self.north_user.login
        self.assert_pages_accessible(
            self.north_user.login,
            [
                (f"/my/requests/new?type_id={self.type_breakdown.id}", "#service_arrival_picker"),
                (f"/my/requests/{asked.id}", "#service_arrival_requested"),
                (f"/my/requests/{confirmed.id}", "#service_arrival_window"),
            ],
        )
