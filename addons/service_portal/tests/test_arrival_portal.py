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

    def _offered(self, page_url):
        """The keys of the free windows a page offers, as the customer's browser gets them:
        the page has the slot and no window (they cost most of the page), the slot's URL
        has the windows."""
        page = self.url_open(page_url).text
        self.assertIn('class="o_service_arrival_offer"', page)
        self.assertFalse(self._keys(page), "the page computes no window itself")
        slot_url = re.search(r'class="o_service_arrival_offer"[^>]*data-url="([^"]+)"', page)
        self.assertTrue(slot_url, "the slot names the URL of its windows")
        slot = self.url_open(slot_url.group(1))
        self.assertEqual(slot.status_code, 200)
        self.assertNotIn("<html", slot.text, "the windows alone, not a page")
        return self._keys(slot.text)

    def _post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": self.csrf_token_for_session()})

    def test_customer_moves_a_visit_to_picked_windows(self):
        self.login_as(self.north_user)
        keys = self._offered(f"/my/service-orders/{self.order.id}")
        self.assertTrue(keys, "the free windows are offered")
        slot = self.url_open(f"/my/service-orders/{self.order.id}/arrival-windows").text
        self.assertNotIn('name="preferred_date"', slot, "windows, not a date, when some are free")
        # without script, the form's link opens the page with its windows
        page = self.url_open(f"/my/service-orders/{self.order.id}?arrival=1").text
        self.assertEqual(self._keys(page), keys)
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
        keys = self._offered(f"/my/service-orders/{self.order.id}")
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
            # "pick again among those shown": the page shown again has its windows
            self.assertEqual(self._keys(response.text), keys)
            self.assertFalse(self.order.customer_request)
            self.assertFalse(self.order.arrival_window_ids)
        # another customer's contact cannot ask for this visit, nor see when it could move
        self.login_as(self.parkway_user)
        response = self.url_open(f"/my/service-orders/{self.order.id}/arrival-windows")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._keys(response.text))
        self._post(
            f"/my/service-orders/{self.order.id}/change",
            {"change": "reschedule", "windows": keys[:1]},
        )
        self.assertFalse(self.order.customer_request)

    def test_request_service_with_a_stale_window_creates_nothing(self):
        self.login_as(self.north_user)
        self.assertTrue(self._offered(f"/my/equipment/{self.north_equipment.id}"))
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
        keys = self._offered(f"/my/sites/{self.north.id}")
        self.assertTrue(keys)
        # the form's link without script opens the tab the form is on, with its windows,
        # and carries nothing else of the address the page was opened with
        page = self.url_open(f"/my/sites/{self.north.id}?foo=%3Cb%3E&tab=service").text
        link = f'href="/my/sites/{self.north.id}?tab=service&amp;arrival=1#service_arrival_picker"'
        self.assertIn(link, page)
        self.assertNotIn("foo=", page)
        page = self.url_open(f"/my/sites/{self.north.id}?tab=service&arrival=1").text
        self.assertEqual(self._keys(page), keys)
        self.assertIn('id="service_site_request" class="card mb-3" open="open"', page)
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
        self.assertEqual(
            self.url_open(f"/my/sites/{self.north.id}/arrival-windows").status_code, 404
        )

    def test_a_visit_that_cannot_move_offers_no_window(self):
        """Once the customer asked for a change, the order's form is gone and so are its
        windows; a visit done offers none either."""
        self.login_as(self.north_user)
        self.order.customer_request = "cancel"
        page = self.url_open(f"/my/service-orders/{self.order.id}").text
        self.assertNotIn("o_service_arrival_offer", page)
        url = f"/my/service-orders/{self.order.id}/arrival-windows"
        self.assertEqual(self.url_open(url).status_code, 404)
        self.order.write({"customer_request": False, "state": "done"})
        self.assertEqual(self.url_open(url).status_code, 404)
