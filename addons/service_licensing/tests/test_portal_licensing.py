from odoo import http
from odoo.tests import HttpCase, tagged

from .common import PortalOutcomeMixin, StripeFakeSetupMixin


@tagged("post_install", "-at_install")
class TestPortalLicensing(PortalOutcomeMixin, StripeFakeSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.license = cls.subscription._allocate_license(
            {"name": "Tom Tech", "email": "tom@acme.example", "device_type": "ios"}
        )
        cls.technician = cls.license.user_id
        cls.technician.password = "tom@acme.example"

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _routes(self):
        """Every licensing route, with what a request to it sends."""
        return [
            ("GET", "/my/purchases", None),
            ("GET", "/my/technicians", None),
            ("POST", "/my/purchases/buy", {"product_id": self.plan_monthly.product_tmpl_id.id}),
            ("POST", "/my/purchases/billing", {}),
            (
                "POST",
                "/my/purchases/buy_on_account",
                {"product_id": self.plan_annual.product_tmpl_id.id},
            ),
            (
                "POST",
                "/my/technicians/allocate",
                {"subscription_id": self.subscription.id, "name": "X", "email": "x@x.example"},
            ),
            ("POST", f"/my/technicians/{self.license.id}/edit", {"name": "Renamed"}),
            ("POST", f"/my/technicians/{self.license.id}/remove", {"confirm": "DELETE"}),
        ]

    def _request(self, method, url, data):
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        return self._post(url, data)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_visitors_are_sent_to_log_in(self):
        self.authenticate(None, None)
        for method, url, _data in self._routes()[:2]:
            with self.subTest(url=url):
                response = self._request(method, url, None)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_non_admins_get_not_found_on_every_route(self):
        for user in (self.contact, self.technician):
            self._login(user)
            for method, url, data in self._routes():
                with self.subTest(user=user.login, url=url):
                    response = self._request(method, url, data)
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(self.license.state, "allocated")
        self.assertEqual(self.license.name, "Tom Tech")
        self.assertFalse(self.stripe.requests)

    def test_admin_of_another_customer_never_reaches_this_customers_records(self):
        self._login(self.other_owner)
        foreign = [route for route in self._routes() if route[1].startswith("/my/technicians/")]
        for method, url, data in foreign:
            with self.subTest(url=url):
                self.assertEqual(self._request(method, url, data).status_code, 404)
        for url in ("/my/purchases", "/my/technicians"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Tom Tech", response.text)
                self.assertNotIn("Acme", response.text)
        self.assertEqual(self.license.state, "allocated")
        self.assertEqual(self.license.name, "Tom Tech")
        self.assertEqual(self.subscription.quantity_allocated, 1)

    def test_home_shows_the_licensing_entries_to_admins(self):
        self._login(self.owner)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["service_subscription_count", "service_license_count"]},
        )
        self.assertEqual(counters, {"service_subscription_count": 1, "service_license_count": 1})
        self._login(self.contact)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["service_subscription_count", "service_license_count"]},
        )
        self.assertEqual(counters, {"service_subscription_count": 0, "service_license_count": 0})

    # ------------------------------------------------------------------
    # Your purchases
    # ------------------------------------------------------------------

    def test_purchases_list_subscriptions_and_buy_buttons(self):
        self._login(self.secondary)
        response = self.url_open("/my/purchases")
        self.assertEqual(response.status_code, 200)
        for text in ("Technician licence, monthly", "Buy monthly plan", "Buy annual plan"):
            self.assertIn(text, response.text)
        self.assertIn("Buy now", response.text)
        self.assertIn("o_service_subscription", response.text)

    def test_buy_monthly_plan_opens_a_stripe_checkout(self):
        self._login(self.owner)
        response = self._post(
            "/my/purchases/buy",
            {"product_id": self.plan_monthly.product_tmpl_id.id, "quantity": "4"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].startswith(f"{self.stripe.url}/checkout/cs_test_")
        )
        search_call, customer_call, checkout_call = self.stripe.requests
        self.assertEqual(search_call["path"], "/v1/customers/search")
        self.assertEqual(customer_call["path"], "/v1/customers")
        self.assertEqual(checkout_call["path"], "/v1/checkout/sessions")
        params = checkout_call["params"]
        self.assertEqual(params["mode"], "subscription")
        self.assertEqual(params["line_items[0][price]"], self.plan_monthly.service_stripe_price_id)
        self.assertEqual(params["line_items[0][quantity]"], "4")
        self.assertEqual(params["customer"], self.customer.service_stripe_customer_id)
        self.assertEqual(
            params["subscription_data[metadata][odoo_partner_id]"], str(self.customer.id)
        )
        self.assertIn("/my/purchases?done=bought", params["success_url"])
        for call in (customer_call, checkout_call):
            self.assertTrue(call["idempotency_key"])
            self.assertEqual(call["authorization"], "Bearer sk_test_service_licensing")
        self.assertEqual(
            self.env["service.subscription"].search([("partner_id", "=", self.customer.id)]),
            self.subscription,
            "nothing is recorded before Stripe confirms the payment",
        )

    def test_back_from_checkout_the_page_thanks_once(self):
        """Stripe Checkout sends the buyer back to the success URL: the page says thank
        you once, without the query (a reload does not say it again)."""
        self._login(self.owner)
        response = self.url_open("/my/purchases?done=bought", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/purchases"))
        page = self.url_open(response.headers["Location"]).text
        self.assertIn('id="service_bought"', page)
        self.assertIn("your purchase appears here", page)
        self.assertNotIn("your purchase appears here", self.url_open("/my/purchases").text)

    def test_stripe_down_or_slow_gives_a_message_and_changes_nothing(self):
        self._login(self.owner)
        for mode in ("error", "hang"):
            with self.subTest(mode=mode):
                self.stripe.mode = mode
                self.stripe.hang_seconds = 3
                self.assert_refused(
                    "/my/purchases/buy",
                    {"product_id": self.plan_annual.product_tmpl_id.id, "quantity": "2"},
                    "/my/purchases",
                    "Stripe could not be reached",
                )
                self.assertFalse(self.customer.service_stripe_customer_id)

    def test_buying_without_stripe_keys_says_so(self):
        self.env.ref("payment.payment_provider_stripe").stripe_secret_key = False
        self._login(self.owner)
        self.assert_refused(
            "/my/purchases/buy",
            {"product_id": self.plan_monthly.product_tmpl_id.id},
            "/my/purchases",
            "Online purchases are not available yet",
        )
        self.assertFalse(self.stripe.requests)

    def test_buy_rejects_bad_input_with_a_message(self):
        self._login(self.owner)
        cases = [
            {"product_id": "abc"},
            {"product_id": self.env.ref("product.product_product_1").product_tmpl_id.id}
            if self.env.ref("product.product_product_1", raise_if_not_found=False)
            else {"product_id": "0"},
            {"product_id": self.plan_monthly.product_tmpl_id.id, "quantity": "0"},
            {"product_id": self.plan_monthly.product_tmpl_id.id, "quantity": "many"},
        ]
        for data in cases:
            with self.subTest(data=data):
                self.assert_refused("/my/purchases/buy", data, "/my/purchases")
        self.assertFalse(self.stripe.requests)

    def test_buy_annual_plan_on_account_from_the_portal(self):
        self._login(self.owner)
        Subscription = self.env["service.subscription"]
        on_account = [("partner_id", "=", self.customer.id), ("payment_mode", "=", "on_account")]
        orders_before = self.env["sale.order"].search_count([])
        review = self._post(
            "/my/purchases/buy_on_account",
            {"product_id": self.plan_annual.product_tmpl_id.id, "quantity": "3"},
        )
        # the first post only shows what the year commits to
        self.assertEqual(review.status_code, 200)
        self.assertIn("service_on_account_review", review.text)
        self.assertIn(self.plan_annual.name, review.text)
        self.assertIn('class="col-sm-8 o_review_quantity">3<', review.text)
        for part in ("o_review_untaxed", "o_review_tax", "o_review_total", "Payment terms"):
            self.assertIn(part, review.text)
        self.assertIn('name="confirm" value="1"', review.text)
        self.assertFalse(Subscription.search(on_account), "nothing bought before confirming")
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        response = self._post(
            "/my/purchases/buy_on_account",
            {"product_id": self.plan_annual.product_tmpl_id.id, "quantity": "3", "confirm": "1"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/purchases"))
        subscription = Subscription.search(on_account)
        self.assertEqual((subscription.quantity, subscription.state), (3, "active"))
        self.assertEqual(subscription.invoice_ids.state, "posted")
        # the review showed the amounts the invoice now has
        invoice = subscription.invoice_ids
        total = review.text.split("o_review_total", 1)[1].split("</dd>", 1)[0]
        self.assertTrue(f"{invoice.amount_total:,.2f}" in total, total)
        self.assertTrue(invoice.amount_tax, "the demo plan is taxed: the review shows it")
        tax = review.text.split("o_review_tax", 1)[1].split("</dd>", 1)[0]
        self.assertTrue(f"{invoice.amount_tax:,.2f}" in tax, tax)
        self.assertFalse(self.stripe.requests, "no card payment involved")
        page = self.url_open(response.headers["Location"])
        self.assertIn("On account", page.text)
        self.assertIn("Your annual plan is active", page.text)
        self.assertNotIn("Your annual plan is active", self.url_open("/my/purchases").text)
        self.assert_refused(
            "/my/purchases/buy_on_account",
            {"product_id": self.plan_monthly.product_tmpl_id.id, "quantity": "1"},
            "/my/purchases",
            "Only annual plans",
        )

    def test_a_failed_purchase_keeps_the_quantity_chosen(self):
        self._login(self.owner)
        annual = self.plan_annual.product_tmpl_id
        field = f'id="quantity_{annual.id}"'
        for url, quantity in (
            ("/my/purchases/buy_on_account", "1001"),
            ("/my/purchases/buy", "1001"),
        ):
            with self.subTest(url=url):
                response = self.assert_refused(
                    url,
                    {"product_id": annual.id, "quantity": quantity},
                    "/my/purchases",
                    "between 1 and 1000",
                )
                tag = next(t for t in response.text.split("<input") if field in t)
                self.assertIn(f'value="{quantity}"', tag)
                other = f'id="quantity_{self.plan_monthly.product_tmpl_id.id}"'
                tag = next(t for t in response.text.split("<input") if other in t)
                self.assertIn('value="1"', tag, "the other cards keep their default")
        self.stripe.mode = "error"
        response = self.assert_refused(
            "/my/purchases/buy",
            {"product_id": annual.id, "quantity": "7"},
            "/my/purchases",
            "Stripe could not be reached",
        )
        tag = next(t for t in response.text.split("<input") if field in t)
        self.assertIn('value="7"', tag)

    def test_manage_billing_shows_once_stripe_knows_the_customer(self):
        self._login(self.owner)
        self.assertNotIn("Manage billing", self.url_open("/my/purchases").text)
        self.customer.service_stripe_customer_id = "cus_acme"
        page = self.url_open("/my/purchases").text
        self.assertIn('id="service_manage_billing"', page)
        self.assertIn("Manage billing", page)
        self.assertLess(
            page.index("service_manage_billing"), page.index("o_service_buy"), "above the plans"
        )

    def test_update_billing_opens_the_stripe_billing_portal(self):
        self._login(self.owner)
        # no Stripe customer yet
        self.assert_refused("/my/purchases/billing", {}, "/my/purchases", "no card billing")
        self.customer.service_stripe_customer_id = "cus_acme"
        response = self._post("/my/purchases/billing")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].startswith("https://billing.stripe.test/"))
        (call,) = self.stripe.requests
        self.assertEqual(call["path"], "/v1/billing_portal/sessions")
        self.assertEqual(call["params"]["customer"], "cus_acme")

    # ------------------------------------------------------------------
    # Technicians
    # ------------------------------------------------------------------

    def test_admin_allocates_edits_and_lists_technicians(self):
        self._login(self.owner)
        page = self.assert_done(
            "/my/technicians/allocate",
            {
                "subscription_id": self.subscription.id,
                "name": "Ann Android",
                "email": "ann@acme.example",
                "device_type": "android",
                "state": "allocated",
            },
            "/my/technicians",
            "The licence is allocated",
        )
        ann = self.env["service.license"].search([("email", "=", "ann@acme.example")])
        self.assertEqual(
            (ann.name, ann.device_type, ann.state), ("Ann Android", "android", "allocated")
        )
        self.assertIn("Ann Android", page.text)
        self.assertIn("Tom Tech", page.text)
        self.assert_done(
            f"/my/technicians/{ann.id}/edit",
            {"name": "Ann Droid", "device_type": "windows"},
            "/my/technicians",
            "details are saved",
        )
        self.assertEqual((ann.name, ann.device_type), ("Ann Droid", "windows"))

    def test_allocation_errors_are_messages_and_write_nothing(self):
        self._login(self.owner)
        cases = [
            {"subscription_id": self.subscription.id, "name": "Bad", "email": "nope"},
            {"subscription_id": self.subscription.id, "name": "", "email": "empty@acme.example"},
            {"subscription_id": "", "name": "No plan", "email": "noplan@acme.example"},
            {"subscription_id": self.subscription.id, "name": "Dup", "email": "tom@acme.example"},
        ]
        for data in cases:
            with self.subTest(data=data):
                page = self.assert_refused("/my/technicians/allocate", data, "/my/technicians")
                # what was typed is there again
                self.assertIn(f'value="{data["email"]}"', page.text)
        self.assertEqual(self.subscription.quantity_allocated, 1)
        self.assertFalse(
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "in", ["empty@acme.example", "noplan@acme.example"])])
        )

    def test_technician_form_answers_the_same_for_an_address_with_an_account_elsewhere(self):
        self._login(self.owner)
        answers = {}
        for name, email in (("Gina", "gina@globex.example"), ("Fred", "fred@acme.example")):
            page = self.assert_done(
                "/my/technicians/allocate",
                {"subscription_id": self.subscription.id, "name": name, "email": email},
                "/my/technicians",
                "The licence is allocated",
            ).text
            self.assertIn(name, page)
            answers[email] = page[page.index('id="service_allocated"') :].split("</div>", 1)[0]
        self.assertEqual(answers["gina@globex.example"], answers["fred@acme.example"])
        gina_license = self.env["service.license"].search([("email", "=", "gina@globex.example")])
        self.assertFalse(gina_license.user_id, "the licence gives Gina's account nothing")
        self.assertEqual(self.other_owner.partner_id.commercial_partner_id, self.other_customer)

    def test_allocation_beyond_the_quantity_bought_is_refused(self):
        self._login(self.owner)
        for index in range(2):
            data = {
                "subscription_id": self.subscription.id,
                "name": f"Tech {index}",
                "email": f"t{index}@acme.example",
            }
            self.assertEqual(self._post("/my/technicians/allocate", data).status_code, 303)
        data = {"subscription_id": self.subscription.id, "name": "Four", "email": "4@acme.example"}
        self.assert_refused("/my/technicians/allocate", data, "/my/technicians", "All 3 licences")
        self.assertEqual(self.subscription.quantity_allocated, 3)

    def test_remove_needs_typed_delete_then_ends_the_technicians_session(self):
        # The technician is logged in and working.
        self._login(self.technician)
        technician_sid = self.session.sid
        self.assertEqual(self.url_open("/my", allow_redirects=False).status_code, 200)

        self._login(self.owner)
        for confirm in ("", "delete", "yes"):
            with self.subTest(confirm=confirm):
                self.assert_refused(
                    f"/my/technicians/{self.license.id}/remove",
                    {"confirm": confirm},
                    "/my/technicians",
                    "Type DELETE",
                )
        self.assertEqual(self.license.state, "allocated")
        self.assert_done(
            f"/my/technicians/{self.license.id}/remove",
            {"confirm": "DELETE"},
            "/my/technicians",
            "The technician is removed",
        )
        self.assertEqual(self.license.state, "revoked")
        self.assertFalse(self.technician.active)
        self.assertNotIn("Tom Tech", self.url_open("/my/technicians").text)

        # The technician's open session no longer works.
        self.opener.cookies.set("session_id", technician_sid, domain="127.0.0.1", path="/")
        response = self.url_open("/my", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])

    def test_list_pages_use_a_constant_number_of_queries(self):
        self.subscription.quantity = 30
        self._login(self.owner)

        def queries(url):
            self.url_open(url)  # warm the caches (views, assets, rules)
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.assertEqual(self.url_open(url).status_code, 200)
            return self.cr.sql_log_count - before

        for url in ("/my/technicians", "/my/purchases"):
            few = queries(url)
            self.assertGreater(few, 3, f"the count must see the request's queries ({few})")
            for index in range(10):
                self.subscription._allocate_license(
                    {"name": f"Tech {index}", "email": f"tech{index}-{url[4:]}@acme.example"}
                )
                self.env["service.subscription"].create(
                    {
                        "partner_id": self.customer.id,
                        "product_id": self.addon.id,
                        "quantity": 1,
                        "state": "active",
                    }
                )
            with self.subTest(url=url):
                self.assertEqual(queries(url), few)

    def test_allocate_and_remove_in_the_browser(self):
        self.start_tour("/my/technicians", "service_licensing_technicians", login=self.owner.login)
        license_ = self.env["service.license"].search([("email", "=", "tara@acme.example")])
        self.assertEqual((license_.device_type, license_.state), ("android", "revoked"))
        self.assertFalse(license_.user_id.active)
