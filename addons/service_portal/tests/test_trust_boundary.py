"""The attacks of the trust-boundary review, each replayed through the real HTTP surface.

Odoo's own portal routes (the address form), the generic JSON-RPC, `/web/content` and the
product's action routes must refuse what the product's pages would never offer.
"""

import json

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ServicePortalHttpCase

SIGNATURE = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestTrustBoundary(ServicePortalHttpCase):
    def _submit_address(self, partner, **values):
        data = {
            "name": partner.name,
            "email": partner.email or "x@example.com",
            "street": "1 Attacker Road",
            "city": "Nowhere",
            "zip": "00000",
            "country_id": str(self.env.ref("base.be").id),
            "phone": "+1 555 0100",
            "csrf_token": self.csrf_token_for_session(),
            "partner_id": str(partner.id),
            **values,
        }
        return self.url_open("/my/address/submit", data=data)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    # ------------------------------------------------------------------
    # Odoo's address form
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_site_contact_cannot_edit_colleague_site_or_company_through_address_form(self):
        self.login_as(self.north_user)
        company_contact = self.manager_user.partner_id
        # the colleague keeps an address of their own: Odoo then sees a partner of type other
        company_contact.sudo().service_use_company_address = False
        self.assertEqual(company_contact.type, "other")
        victims = {
            "company contact": company_contact,
            "other site": self.south,
            "own site": self.north,
            "customer": self.winslow,
        }
        for label, victim in victims.items():
            with self.subTest(victim=label):
                before = victim.email
                response = self._submit_address(victim, email="attacker@evil.example")
                self.assertEqual(response.status_code, 403, label)
                victim.invalidate_recordset()
                self.assertEqual(victim.email, before, label)
                form = self.url_open(f"/my/address?partner_id={victim.id}")
                self.assertEqual(form.status_code, 403, label)

    def test_contact_cannot_rename_the_customer_company(self):
        self.login_as(self.north_user)
        own = self.north_user.partner_id
        name = self.winslow.name
        response = self._submit_address(own, email=own.email, company_name="Evil Corp")
        self.assertEqual(response.status_code, 200)
        self.assertIn("redirectUrl", json.loads(response.text))
        self.assertEqual(self.winslow.name, name)

    def test_contact_edits_own_address_and_own_delivery_addresses(self):
        self.login_as(self.north_user)
        own = self.north_user.partner_id
        own.sudo().service_use_company_address = False
        response = self._submit_address(own, email=own.email, street="12 Library Lane")
        self.assertIn("redirectUrl", json.loads(response.text))
        self.assertEqual(own.street, "12 Library Lane")
        delivery = self.env["res.partner"].create(
            {"name": "Loading bay", "parent_id": own.id, "type": "delivery", "street": "Back"}
        )
        response = self._submit_address(delivery, email="dock@winslow.example", street="Dock 2")
        self.assertIn("redirectUrl", json.loads(response.text))
        self.assertEqual(delivery.street, "Dock 2")

    # ------------------------------------------------------------------
    # Staff-only fields over JSON-RPC
    # ------------------------------------------------------------------

    def test_staff_only_fields_are_refused_over_json_rpc(self):
        self.north_order.internal_note = "<p>Customer is slow to pay</p>"
        self.login_as(self.manager_user)
        # the order itself is readable by the customer's contact
        rows = self._call_kw(
            "service.order",
            "search_read",
            [[("id", "=", self.north_order.id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(len(rows), 1)
        for model, domain, field in (
            ("service.order", [("id", "=", self.north_order.id)], "internal_note"),
            ("service.order", [("id", "=", self.north_order.id)], "reminder_sent"),
            ("res.partner", [("id", "=", self.winslow.id)], "service_pending_email"),
        ):
            for method, args, kwargs in (
                ("search_read", [domain], {"fields": [field]}),
                ("read", [self.env[model].search(domain).ids, [field]], {}),
                ("web_read", [self.env[model].search(domain).ids], {"specification": {field: {}}}),
            ):
                with self.subTest(model=model, field=field, method=method):
                    with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
                        self._call_kw(model, method, args, kwargs)
        # nor searchable: a domain on a staff note would leak it a character at a time
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_kw("service.order", "search_count", [[("internal_note", "ilike", "slow")]])
        # nor described to the portal user
        described = self._call_kw("service.order", "fields_get", [], {"attributes": ["type"]})
        self.assertNotIn("internal_note", described)

    # ------------------------------------------------------------------
    # Customer actions
    # ------------------------------------------------------------------

    def test_visitor_with_a_token_cannot_act_for_the_customer(self):
        token = self.north_order.sudo()._portal_ensure_token()
        self.north_done_order.sudo()._portal_ensure_token()
        # logged out: the link opens the order ...
        page = self.url_open(f"/my/service-orders/{self.north_order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("service_change_request", page.text)
        # ... but the visitor cannot ask to cancel it
        self.url_open(
            f"/my/service-orders/{self.north_order.id}/change",
            data={"access_token": token, "change": "cancel", "reason": "x"},
        )
        self.assertFalse(self.north_order.customer_request)
        # nor sign off a completed order
        done_token = self.north_done_order.access_token
        result = self.make_jsonrpc_request(
            f"/my/service-orders/{self.north_done_order.id}/sign",
            {"access_token": done_token, "name": "Anyone", "signature": SIGNATURE},
        )
        self.assertIn("error", result)
        self.assertFalse(self.north_done_order.signed_by)
        self.assertFalse(self.north_done_order.signature)

    def test_customer_contact_signs_off_through_the_route(self):
        self.login_as(self.north_user)
        result = self.make_jsonrpc_request(
            f"/my/service-orders/{self.north_done_order.id}/sign",
            {"name": "Nick Northcott", "signature": SIGNATURE},
        )
        self.assertNotIn("error", result)
        self.assertEqual(self.north_done_order.signed_by, "Nick Northcott")
        message = self.north_done_order.message_ids[0]
        self.assertEqual(message.author_id, self.north_user.partner_id)

    # ------------------------------------------------------------------
    # Equipment page and requests
    # ------------------------------------------------------------------

    def test_equipment_page_lists_no_order_of_another_site(self):
        south_order = self.south_order.sudo()
        south_order.equipment_id = False
        # an order of the South Campus that references the North boiler (it moved)
        self.env.cr.execute(
            "UPDATE service_order SET equipment_id = %s WHERE id = %s",
            (self.north_equipment.id, south_order.id),
        )
        self.env.invalidate_all()
        self.login_as(self.north_user)
        page = self.url_open(f"/my/equipment/{self.north_equipment.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.north_order.name, page.text)
        self.assertNotIn(south_order.name, page.text)

    def test_service_request_description_is_stored_as_text(self):
        self.login_as(self.north_user)
        hostile = '<a href="https://evil.example">click</a><img src="https://evil.example/x.png">'
        before = self.env["service.order"].search([]).ids
        self.url_open(
            f"/my/equipment/{self.north_equipment.id}/request-service",
            data={"description": hostile, "csrf_token": self.csrf_token_for_session()},
        )
        order = self.env["service.order"].search([("id", "not in", before)])
        self.assertEqual(len(order), 1)
        # the markup arrives as the text the customer typed, never as a tag
        self.assertNotIn("<img", order.description)
        self.assertNotIn(">click</a>", order.description)
        self.assertIn("&lt;a href", order.description)

    # ------------------------------------------------------------------
    # Hidden sections are hidden everywhere
    # ------------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_hidden_documents_are_closed_on_every_surface(self):
        self.login_as(self.north_user)
        url = f"/web/content/service.document/{self.north_document.id}/file"
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env["ir.config_parameter"].set_param("service_portal.hide_documents", "1")
        self.assertIn(self.url_open(url).status_code, (403, 404))
        self.assertEqual(
            self._call_kw("service.document", "search_read", [[]], {"fields": ["name"]}), []
        )
        self.assertEqual(
            self.url_open(f"/my/documents/{self.north_document.id}/download").status_code, 404
        )
        # staff still see them
        self.assertTrue(self.env["service.document"].search([("id", "=", self.north_document.id)]))

    @mute_logger("odoo.http")
    def test_hidden_equipment_is_closed_over_json_rpc(self):
        self.login_as(self.north_user)
        self.assertTrue(
            self._call_kw("service.equipment", "search_read", [[]], {"fields": ["name"]})
        )
        self.env["ir.config_parameter"].set_param("service_portal.hide_equipment", "1")
        self.assertEqual(
            self._call_kw("service.equipment", "search_read", [[]], {"fields": ["name"]}), []
        )

    # ------------------------------------------------------------------
    # Access tokens
    # ------------------------------------------------------------------

    def test_revoking_portal_access_rotates_the_tokens_of_the_customer_orders(self):
        token = self.north_order.sudo()._portal_ensure_token()
        url = f"/my/service-orders/{self.north_order.id}?access_token={token}"
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 200)
        # staff revoke Nick's portal access with Odoo's own wizard
        wizard = (
            self.env["portal.wizard"]
            .with_context(active_ids=self.north_user.partner_id.ids)
            .create({})
        )
        wizard.user_ids.filtered(lambda w: w.partner_id == self.north_user.partner_id)
        wizard.user_ids.action_revoke_access()
        self.assertFalse(self.north_user.active)
        self.assertNotEqual(self.north_order.access_token, token)
        self.assertNotEqual(self.url_open(url, allow_redirects=False).status_code, 200)

    # ------------------------------------------------------------------
    # The order's conversation
    # ------------------------------------------------------------------

    def _post_on(self, order, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.order",
                "thread_id": order.id,
                "post_data": {"body": body, "message_type": "comment"},
            },
        )

    def test_customer_contact_messages_the_service_company_on_an_order(self):
        self.login_as(self.north_user)
        self._post_on(self.north_order, "Please ring at the side door")
        message = self.north_order.message_ids[0]
        self.assertIn("side door", message.body)
        self.assertEqual(message.author_id, self.north_user.partner_id)

    @mute_logger("odoo.http")
    def test_other_site_and_other_customer_cannot_post_on_an_order(self):
        for user, order in (
            (self.north_user, self.south_order),
            (self.parkway_user, self.north_order),
        ):
            with self.subTest(user=user.login):
                self.login_as(user)
                before = len(order.message_ids)
                with self.assertRaises(JsonRpcException):
                    self._post_on(order, "hello from outside")
                order.invalidate_recordset()
                self.assertEqual(len(order.message_ids), before)
