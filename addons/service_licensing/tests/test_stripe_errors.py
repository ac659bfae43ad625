import stripe

from odoo import Command, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import StripeFakeSetupMixin


@tagged("post_install", "-at_install")
class TestStripeErrors(StripeFakeSetupMixin, HttpCase):
    """Stripe's refusals (4xx) are told apart from outages; nothing is lost on the way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Lena Licensing",
                "login": "lena@service.example",
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("service_licensing.group_licensing_manager").id,
                        ]
                    )
                ],
            }
        )

    def _buy(self):
        self.authenticate(self.owner.login, self.owner.login)
        return self.url_open(
            "/my/purchases/buy",
            data={
                "product_id": self.plan_monthly.product_tmpl_id.id,
                "quantity": "2",
                "csrf_token": http.Request.csrf_token(self),
            },
            allow_redirects=False,
        )

    def _customer_calls(self):
        return [
            call
            for call in self.stripe.requests
            if (call["method"], call["path"]) == ("POST", "/v1/customers")
        ]

    def test_unknown_price_plain_sentence_for_the_customer_and_one_stripe_customer(self):
        self.stripe.prices.discard(self.plan_monthly.service_stripe_price_id)
        with self.assertLogs("odoo.addons.service_licensing.models.payment_provider") as logs:
            response = self._buy()
        # refused: back to Your Purchases, which tells why (service_portal's outcome)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/purchases"))
        page = self.url_open(response.headers["Location"])
        self.assertIn('id="service_error"', page.text)
        self.assertIn("problem in our payment settings", page.text)
        self.assertNotIn("No such price", page.text, "Stripe's words are for staff")
        self.assertIn("No such price", "\n".join(logs.output))
        self.assertEqual(len(self.stripe.customers), 1)
        # Fixed in Stripe: the next attempt reuses the Stripe customer created the first time.
        self.stripe.prices.add(self.plan_monthly.service_stripe_price_id)
        response = self._buy()
        self.assertEqual(response.status_code, 303)
        self.assertEqual(len(self._customer_calls()), 1, "one Stripe customer created")
        self.assertEqual(len(self.stripe.customers), 1)
        self.assertEqual(
            self.customer.service_stripe_customer_id, next(iter(self.stripe.customers))
        )

    def test_staff_see_stripes_message(self):
        self.plan_monthly.service_stripe_price_id = "price_nobody_knows"
        with (
            self.assertLogs("odoo.addons.service_licensing.models.payment_provider"),
            self.assertRaisesRegex(
                UserError, r"Stripe refused the request \(HTTP 400\).*No such price"
            ),
        ):
            self.env["payment.provider"].with_user(self.manager)._service_stripe_start_checkout(
                self.customer, self.plan_monthly, 1, "http://x/ok", "http://x/back"
            )

    def test_billing_portal_not_configured_is_not_an_outage(self):
        self.customer.service_stripe_customer_id = "cus_acme"
        self.stripe.portal_configured = False
        Provider = self.env["payment.provider"]
        with self.assertLogs("odoo.addons.service_licensing.models.payment_provider"):
            with self.assertRaisesRegex(UserError, "problem in our payment settings"):
                Provider.with_user(self.owner)._service_stripe_start_billing_portal(
                    self.customer, "http://x"
                )
            with self.assertRaisesRegex(UserError, "No configuration provided"):
                Provider.with_user(self.manager)._service_stripe_start_billing_portal(
                    self.customer, "http://x"
                )
        self.stripe.mode = "error"
        with self.assertLogs("odoo.addons.service_licensing.models.payment_provider"):
            with self.assertRaisesRegex(UserError, "could not be reached"):
                Provider.with_user(self.owner)._service_stripe_start_billing_portal(
                    self.customer, "http://x"
                )

    def test_customer_idempotency_key_changes_with_the_request(self):
        Provider = self.env["payment.provider"]
        params = {"name": "Acme", "email": "a@acme.example", "metadata": {"odoo_partner_id": "1"}}
        key = Provider._service_stripe_idempotency_key("customer", 1, params=params)
        self.assertEqual(
            key, Provider._service_stripe_idempotency_key("customer", 1, params=dict(params))
        )
        self.assertNotEqual(
            key,
            Provider._service_stripe_idempotency_key(
                "customer", 1, params={**params, "name": "Acme Ltd"}
            ),
        )
        # A corrected name after a lost answer is a new request for Stripe, not a conflict.
        self.customer.name = "Acme Repairs"
        self.assertTrue(Provider._service_stripe_customer_for(self.customer))
        self.env.cr.execute(
            "UPDATE res_partner SET service_stripe_customer_id = NULL WHERE id = %s",
            [self.customer.id],
        )
        self.customer.invalidate_recordset()
        self.stripe.customers.clear()  # as if Stripe's search did not see it yet
        self.customer.name = "Acme Repairs Ltd"
        self.assertTrue(Provider._service_stripe_customer_for(self.customer))
        keys = [call["idempotency_key"] for call in self._customer_calls()]
        self.assertEqual(len(set(keys)), 2)

    def test_the_fake_refuses_what_stripe_refuses(self):
        client = self.env["payment.provider"]._service_stripe_client()
        cases = [
            ({"name": "A", "bogus": "1"}, "parameter_unknown", "bogus"),
            ({"name": "A", "balance": "lots"}, "parameter_invalid_integer", "balance"),
            ({"name": "A", "metadata": "x"}, None, "metadata"),
            ({"address": {"city": "X", "planet": "Mars"}}, "parameter_unknown", "address[planet]"),
        ]
        for params, code, param in cases:
            with self.subTest(params=params), self.assertRaises(stripe.InvalidRequestError) as ctx:
                client.v1.customers.create(params=params)
            self.assertEqual(ctx.exception.http_status, 400)
            self.assertEqual(ctx.exception.param, param)
            if code:
                self.assertEqual(ctx.exception.code, code)
        with self.assertRaises(stripe.InvalidRequestError) as ctx:
            client.v1.checkout.sessions.create(
                params={"mode": "subscription", "line_items": [{"price": "price_x", "quantity": 1}]}
            )
        self.assertEqual(ctx.exception.code, "resource_missing")
        # The same key with other parameters: Stripe's idempotency error; the same: a replay.
        first = client.v1.customers.create(params={"name": "A"}, options={"idempotency_key": "k1"})
        again = client.v1.customers.create(params={"name": "A"}, options={"idempotency_key": "k1"})
        self.assertEqual(first.id, again.id)
        with self.assertRaises(stripe.IdempotencyError) as ctx:
            client.v1.customers.create(params={"name": "B"}, options={"idempotency_key": "k1"})
        self.assertEqual(ctx.exception.http_status, 400)
