import io

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestTechnicianWorkspace(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.licence = cls.terry_licence
        cls.assigned = cls.north_order
        cls.not_assigned = cls.south_order

    def setUp(self):
        super().setUp()
        self.authenticate(self.terry.login, self.terry.login)

    def _post(self, url, data=None, files=None):
        return self.url_open(
            url, data={**(data or {}), "csrf_token": http.Request.csrf_token(self)}, files=files
        )

    def test_licensed_technician_sees_assigned_orders_only(self):
        page = self.url_open("/my/work")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.assigned.name, page.text)
        self.assertNotIn(self.not_assigned.name, page.text)
        self.assertNotIn(self.parkway_order.name, page.text)
        Order = self.env["service.order"].with_user(self.terry)
        visible = Order.search(
            [("id", "in", (self.assigned | self.not_assigned | self.parkway_order).ids)]
        )
        self.assertEqual(visible, self.assigned)

    def test_start_then_done_from_the_phone(self):
        self._post(f"/my/work/{self.assigned.id}/state", {"state": "in_progress"})
        self.assertEqual(self.assigned.state, "in_progress")
        self._post(f"/my/work/{self.assigned.id}/state", {"state": "done"})
        self.assertEqual(self.assigned.state, "done")

    def test_note_and_photo(self):
        png = (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
            b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
            b"\x00\x00\x00\x00IEND\xaeB`\x82"
        )
        response = self._post(
            f"/my/work/{self.assigned.id}/note",
            {"note": "Valve replaced"},
            files={"photos": ("valve.png", io.BytesIO(png), "image/png")},
        )
        self.assertIn("Saved.", response.text)
        message = self.assigned.message_ids[0]
        self.assertIn("Valve replaced", message.body)
        self.assertEqual(message.author_id, self.terry.partner_id)
        self.assertEqual(message.attachment_ids.mapped("name"), ["valve.png"])

    def test_saved_notes_and_photos_are_shown_with_their_history(self):
        """What was saved is on the page, newest first, the photos by token; the staff's
        own internal notes on the order are not."""
        png = (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
            b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
            b"\x00\x00\x00\x00IEND\xaeB`\x82"
        )
        self.assigned.message_post(
            body="Staff only: customer disputes the last invoice",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._post(f"/my/work/{self.assigned.id}/note", {"note": "Pump checked"})
        page = self._post(
            f"/my/work/{self.assigned.id}/note",
            {"note": "Valve replaced"},
            files={"photos": ("valve.png", io.BytesIO(png), "image/png")},
        )
        self.assertIn("Saved.", page.text)
        page = self.url_open(f"/my/work/{self.assigned.id}")
        log = page.text[page.text.index('id="service_work_log"') :]
        self.assertLess(log.index("Valve replaced"), log.index("Pump checked"), "newest first")
        self.assertNotIn("customer disputes", page.text)
        photo = self.assigned.message_ids.attachment_ids.filtered(lambda a: a.name == "valve.png")
        self.assertTrue(photo.access_token)
        self.assertIn(f"/web/image/{photo.id}/160x160?access_token={photo.access_token}", log)
        self.assertIn('alt="valve.png"', log)
        image = self.url_open(f"/web/image/{photo.id}?access_token={photo.access_token}")
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.content, png)
        # a visitor without the token gets nothing
        self.authenticate(None, None)
        self.assertNotEqual(self.url_open(f"/web/image/{photo.id}").content, png)

    def test_technician_home_is_their_own(self):
        """A technician's /my leads to their work and their account, not to the customer's
        visits, quotes, invoices, sites and requests; a customer contact's home is as before."""
        page = self.url_open("/my").text
        self.assertIn('href="/my/work"', page)
        self.assertIn("Connection &amp; Security", page)
        for customer_panel in (
            'id="service_dashboard"',
            "Quotes awaiting approval",
            "Invoices awaiting payment",
            "Job Sites",
            "Your Invoices",
            "Service Orders",
        ):
            self.assertNotIn(customer_panel, page)
        manager = self.manager_user
        manager.password = manager.login
        self.authenticate(manager.login, manager.login)
        page = self.url_open("/my").text
        for customer_panel in ('id="service_dashboard"', "Quotes awaiting approval", "Job Sites"):
            self.assertIn(customer_panel, page)
        self.assertNotIn('href="/my/work"', page)

    def test_bad_input_is_refused_clearly(self):
        cases = [
            ("state", {"state": "cancelled"}, None, "only start an order or mark it done"),
            ("note", {"note": "  "}, None, "Write a note or add a photo"),
            ("note", {"note": "x" * 6000}, None, "too long"),
            (
                "note",
                {"note": "virus"},
                {"photos": ("evil.exe", io.BytesIO(b"MZ..."), "application/x-msdownload")},
                "is not a photo",
            ),
            (
                # the browser's word is not taken: a page renamed and sent as a photo
                "note",
                {"note": "disguised"},
                {"photos": ("site.jpg", io.BytesIO(b"<html><script>x</script>"), "image/jpeg")},
                "is not a photo",
            ),
            (
                "note",
                {"note": "huge"},
                {"photos": ("big.jpg", io.BytesIO(b"0" * (10 * 1024 * 1024 + 1)), "image/jpeg")},
                "larger than 10 MB",
            ),
        ]
        for action, data, files, message in cases:
            with self.subTest(message=message):
                before = len(self.assigned.message_ids)
                response = self._post(f"/my/work/{self.assigned.id}/{action}", data, files)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertEqual(len(self.assigned.message_ids), before)
                self.assertEqual(self.assigned.state, "scheduled")

    def test_orders_not_assigned_are_404(self):
        for order in (self.not_assigned, self.parkway_order):
            with self.subTest(order=order.name):
                self.assertEqual(self.url_open(f"/my/work/{order.id}").status_code, 404)
                response = self._post(f"/my/work/{order.id}/state", {"state": "done"})
                self.assertEqual(response.status_code, 404)
                self.assertNotEqual(order.state, "done")

    def test_no_licence_no_access(self):
        self.licence.state = "paused"
        self.assertEqual(self.url_open("/my/work").status_code, 403)
        self.assertEqual(self.url_open(f"/my/work/{self.assigned.id}").status_code, 403)
        response = self._post(f"/my/work/{self.assigned.id}/state", {"state": "done"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.assigned.state, "scheduled")
        self.assertFalse(
            self.env["service.order"].with_user(self.terry).search([("id", "=", self.assigned.id)])
        )

    def test_customer_contacts_have_no_workspace(self):
        self.authenticate(self.manager_user.login, self.manager_user.login)
        self.assertEqual(self.url_open("/my/work").status_code, 403)

    def test_technician_marks_the_order_done_in_the_browser(self):
        self.start_tour("/my", "service_licensing_technician_done", login=self.terry.login)
        self.assertEqual(self.assigned.state, "done")
