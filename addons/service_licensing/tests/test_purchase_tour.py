import requests

from odoo.tests import HttpCase, tagged

from .common import StripeFakeSetupMixin, sign_stripe_payload, stripe_event

WEBHOOK = "/service/stripe/webhook"
METADATA = "subscription_data[metadata]["


@tagged("post_install", "-at_install")
class TestPurchaseTour(StripeFakeSetupMixin, HttpCase):
    """Buying a plan end to end: the portal, Stripe Checkout (the fake's hosted page), the
    signed webhooks, then allocating and removing a licence of the new plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The customer's earlier plan has ended: the new one is the only one to allocate from.
        cls.subscription.state = "canceled"

    def _post_webhook(self, event):
        payload = self._json(event)
        headers = {
            "Content-Type": "application/json",
            "Stripe-Signature": sign_stripe_payload(payload),
        }
        return self.url_open(WEBHOOK, data=payload, headers=headers)

    def test_checkout_page_of_the_fake_pays_and_returns_to_the_success_url(self):
        self.authenticate(self.owner.login, self.owner.login)
        url = (
            self.env["payment.provider"]
            .with_user(self.owner)
            ._service_stripe_start_checkout(
                self.customer,
                self.plan_monthly,
                1,
                "http://127.0.0.1/my/purchases?done=bought",
                "http://127.0.0.1/my/purchases",
            )
        )
        self.assertTrue(url.startswith(f"{self.stripe.url}/checkout/cs_test_"))
        page = requests.get(url, timeout=5)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Pay</a>", page.text)
        paid = requests.get(f"{url}/pay", allow_redirects=False, timeout=5)
        self.assertEqual(paid.status_code, 303)
        self.assertEqual(paid.headers["Location"], "http://127.0.0.1/my/purchases?done=bought")
        (session,) = self.stripe.sessions.values()
        self.assertEqual(session["status"], "complete")
        self.assertEqual(requests.get(f"{url}x", timeout=5).status_code, 404)

    def test_admin_buys_a_plan_then_allocates_and_removes_a_licence(self):
        # 1. In the browser: Buy monthly plan, pay on the Checkout page, back to the portal.
        self.stripe.auto_pay = True
        self.start_tour("/my/purchases", "service_licensing_buy", login=self.owner.login)
        (session,) = self.stripe.sessions.values()
        self.assertEqual(session["status"], "complete")
        self.assertIn(f"/checkout/{session['id']}/pay", self.stripe.page_visits)
        params = session["params"]
        self.assertEqual(params["line_items[0][quantity]"], "2")
        self.assertIn("/my/purchases?done=bought", session["success_url"])
        Subscription = self.env["service.subscription"]
        self.assertFalse(
            Subscription.search([("partner_id", "=", self.customer.id), ("state", "=", "active")]),
            "nothing is recorded before Stripe's webhook confirms the payment",
        )

        # 2. Stripe confirms: the signed webhooks of the subscription and of the session.
        stripe_sub = self.stripe.add_subscription(
            "sub_tour",
            customer=session["customer"],
            price=params["line_items[0][price]"],
            quantity=int(params["line_items[0][quantity]"]),
            metadata={
                key[len(METADATA) : -1]: value
                for key, value in params.items()
                if key.startswith(METADATA)
            },
        )
        completed = {key: value for key, value in session.items() if key not in ("params", "url")}
        completed["subscription"] = "sub_tour"
        for event in (
            stripe_event("evt_tour_created", "customer.subscription.created", stripe_sub),
            stripe_event("evt_tour_completed", "checkout.session.completed", completed),
        ):
            response = self._post_webhook(event)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["outcome"], "processed")
        subscription = Subscription.search([("stripe_subscription_id", "=", "sub_tour")])
        self.assertEqual(
            (subscription.partner_id, subscription.product_id, subscription.quantity),
            (self.customer, self.plan_monthly, 2),
        )
        self.assertEqual(subscription.state, "active")

        # 3. In the browser: the plan is listed active; a licence allocated, then removed.
        self.start_tour(
            "/my/purchases", "service_licensing_bought_plan_technicians", login=self.owner.login
        )
        license_ = self.env["service.license"].search([("email", "=", "tara@acme.example")])
        self.assertEqual(license_.subscription_id, subscription)
        self.assertEqual((license_.device_type, license_.state), ("android", "revoked"))
        self.assertFalse(license_.user_id.active)
        self.assertEqual(subscription.quantity_allocated, 0)
