"""A licensed technician reads the orders assigned to them and nothing of the customer's
commercial data, and never acts as the customer; removing the licence closes old links."""

from odoo import Command, http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import LicensingCommon

SIGNATURE = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestTechnicianBoundary(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.licence = cls.terry_licence
        cls.order = cls.north_order
        cls.done_order = cls.north_done_order
        cls.done_order.technician_ids = [Command.link(cls.terry.id)]
        product = cls.env["product.product"].create({"name": "Boiler valve", "list_price": 80})
        cls.quote = cls.env["sale.order"].create(
            {
                "partner_id": cls.winslow.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.order.sale_order_id = cls.quote

    def setUp(self):
        super().setUp()
        self.authenticate(self.terry.login, self.terry.login)

    def test_technician_sees_no_quote_or_invoice_link_on_an_assigned_order(self):
        page = self.url_open(f"/my/service-orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn(self.quote.name, page.text)
        # Odoo's own quote page refuses them too
        quote_page = self.url_open(f"/my/orders/{self.quote.id}", allow_redirects=False)
        self.assertNotEqual(quote_page.status_code, 200)

    def test_technician_cannot_ask_to_cancel_or_reschedule(self):
        page = self.url_open(f"/my/service-orders/{self.order.id}")
        self.assertNotIn("service_change_request", page.text)
        for change in ("cancel", "reschedule"):
            self.url_open(
                f"/my/service-orders/{self.order.id}/change",
                data={
                    "change": change,
                    "preferred_date": "2099-01-01T10:00",
                    "reason": "not my customer",
                    "csrf_token": http.Request.csrf_token(self),
                },
            )
        self.assertFalse(self.order.customer_request)

    def test_technician_cannot_sign_off_as_the_customer(self):
        result = self.make_jsonrpc_request(
            f"/my/service-orders/{self.done_order.id}/sign",
            {"name": "Definitely The Customer", "signature": SIGNATURE},
        )
        self.assertIn("error", result)
        self.assertFalse(self.done_order.signed_by)
        self.assertFalse(self.done_order.signed_on)
        self.assertFalse(self.done_order.signature)

    @mute_logger("odoo.http")
    def test_technician_reads_no_staff_field_and_writes_nothing_over_json_rpc(self):
        def call(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/service.order/{method}",
                {"model": "service.order", "method": method, "args": args, "kwargs": kwargs or {}},
            )

        rows = call("search_read", [[]], {"fields": ["name"]})
        self.assertEqual({row["id"] for row in rows}, set(self.terry_orders().ids))
        with self.assertRaises(JsonRpcException):
            call("read", [self.order.ids, ["internal_note"]])
        with self.assertRaises(JsonRpcException):
            call("write", [self.order.ids, {"state": "cancelled"}])
        self.assertEqual(self.order.state, "scheduled")

    def terry_orders(self):
        return self.env["service.order"].search([("technician_ids", "in", self.terry.id)])

    def test_removing_the_licence_closes_the_old_links(self):
        token = self.order.sudo()._portal_ensure_token()
        url = f"/my/service-orders/{self.order.id}?access_token={token}"
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 200)
        owner = self.manager_user
        self.licence.with_user(owner)._revoke()
        self.assertNotEqual(self.order.access_token, token)
        self.logout()
        self.assertNotEqual(self.url_open(url, allow_redirects=False).status_code, 200)
