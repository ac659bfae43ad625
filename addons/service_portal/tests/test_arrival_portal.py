"""The portal forms with arrival windows: what the customer picks is checked against the
windows free now; hostile or stale input gets a clear message and writes nothing."""

import re

from odoo.tests import tagged

from .common import ServicePortalHttpCase, setup_arrival_windows


@tagged("post_install", "-at_install")
class TestArrivalPortal(ServicePortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tech = setup_arrival_windows(env)
        cls.order = env["service.order"].create(
            {"partner_id": cls.winslow.id, "site_id": cls.north.id}
        )

    def _keys(self, html):
        return re.findall(r'name="windows"[^>]*value="([^"]+)"', html)

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": self.csrf_token_for_session()})

    def test_customer_moves_a_visit_to_picked_windows(self):
        self.login_as(self.north_user)
        page = self.url_open(f"/my/service-orders/{self.order.id}")
        keys = self._keys(page.text)
        self.assertTrue(keys, "the free windows are offered")
        self.assertNotIn('name="preferred_date"', page.text)
        response = self._post(
            f"/my/service-orders/{self.order.id}/change",
            {"change": "reschedule", "windows": keys[:2], "reason": "Mornings"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.order.customer_request, "reschedule")
        self.assertEqual(len(self.order.arrival_window_ids), 2)
        self.assertIn('id="service_arrival_requested"', response.text)

    def test_hostile_or_stale_windows_write_nothing(self):
        self.login_as(self.north_user)
        keys = self._keys(self.url_open(f"/my/service-orders/{self.order.id}").text)
        for windows, message in (
            (["2020-01-01T08:00/2020-01-01T10:00"], "no longer free"),
            (["<script>"], "no longer free"),
            (keys[:11], "at most"),
        ):
            response = self._post(
                f"/my/service-orders/{self.order.id}/change",
                {"change": "reschedule", "windows": windows},
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(message, response.text)
            self.assertFalse(self.order.customer_request)
            self.assertFalse(self.order.arrival_window_ids)
        # another customer's contact cannot ask for this visit
        self.login_as(self.parkway_user)
        self._post(
            f"/my/service-orders/{self.order.id}/change",
            {"change": "reschedule", "windows": keys[:1]},
        )
        self.assertFalse(self.order.customer_request)

    def test_request_service_with_a_stale_window_creates_nothing(self):
        self.login_as(self.north_user)
        page = self.url_open(f"/my/equipment/{self.north_equipment.id}")
        self.assertTrue(self._keys(page.text))
        Order = self.env["service.order"]
        before = Order.search_count([])
        response = self._post(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            {"description": "Leaks", "windows": ["2020-01-01T08:00/2020-01-01T10:00"]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("no longer free", response.text)
        self.assertEqual(Order.search_count([]), before)

    def test_request_service_from_a_site_with_windows(self):
        self.login_as(self.north_user)
        page = self.url_open(f"/my/sites/{self.north.id}")
        self.assertIn('id="service_site_request"', page.text)
        keys = self._keys(page.text)
        self.assertTrue(keys)
        Order = self.env["service.order"]
        before = Order.search([("site_id", "=", self.north.id)])
        response = self._post(
            f"/my/sites/{self.north.id}/request-service",
            {"description": "The gate sticks", "windows": keys[-1:]},
        )
        self.assertEqual(response.status_code, 200)
        order = Order.search([("site_id", "=", self.north.id)]) - before
        self.assertEqual(len(order), 1)
        self.assertEqual((order.partner_id, order.state), (self.winslow, "draft"))
        self.assertEqual(order.arrival_window_ids.state, "proposed")
        self.assertIn("The gate sticks", order.description)
        # no description: nothing is created, the customer is told why
        response = self._post(f"/my/sites/{self.north.id}/request-service", {"windows": keys[:1]})
        self.assertIn("Describe the problem", response.text)
        # another customer's site is not found, and nothing is filed there
        self.login_as(self.parkway_user)
        response = self._post(
            f"/my/sites/{self.north.id}/request-service", {"description": "hostile"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Order.search([("site_id", "=", self.north.id)]) - before, order)
