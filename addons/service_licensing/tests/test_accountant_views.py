from ast import literal_eval

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestAccountantAndSuspensionViews(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.subscription = cls.winslow_subscription

    def test_invoicing_filter_finds_subscription_invoices(self):
        product = self.env["product.product"].create({"name": "Seat", "list_price": 49})
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.subscription.partner_id.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 49})
                    ],
                    **extra,
                }
                for extra in ({"service_subscription_id": self.subscription.id}, {})
            ]
        )
        arch = self.env["account.move"].get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath("//filter[@name='licence_subscriptions']")
        self.assertEqual(len(node), 1, "the Invoicing search has the Licence Subscriptions filter")
        found = self.env["account.move"].search(
            [*literal_eval(node[0].get("domain")), ("id", "in", moves.ids)]
        )
        self.assertEqual(found, moves[0])
        form = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="service_subscription_id"', form)

    def test_purchases_page_says_why_access_is_suspended_and_how_to_settle(self):
        self.authenticate(self.manager_user.login, self.manager_user.login)
        self.assertNotIn("service_access_suspended", self.url_open("/my/purchases").text)
        self.subscription.access_suspended = True
        page = self.url_open("/my/purchases").text
        self.assertIn('id="service_access_suspended"', page)
        self.assertIn("Manage billing", page)
        self.assertIn('href="/my/invoices"', page)
