import time

from odoo.tests import HttpCase, TransactionCase, tagged

from .common import (
    PAYMENT_WEBHOOK_SECRET,
    LicensingCommon,
    StripeFakeSetupMixin,
    sign_stripe_payload,
    stripe_event,
    stripe_invoice,
)

WEBHOOK = "/service/stripe/webhook"


@tagged("post_install", "-at_install")
class TestStripeWebhook(StripeFakeSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["service.stripe.event"]

    def _post(self, event, header=None, sign=True, timestamp=None, secret=None):
        payload = self._json(event) if isinstance(event, dict) else event
        headers = {"Content-Type": "application/json"}
        if header is not None:
            headers["Stripe-Signature"] = header
        elif sign:
            kwargs = {"timestamp": timestamp}
            if secret:
                kwargs["secret"] = secret
            headers["Stripe-Signature"] = sign_stripe_payload(payload, **kwargs)
        return self.url_open(WEBHOOK, data=payload, headers=headers)

    def _sub_object(self, status="active", quantity=3, sub_id="sub_acme_monthly", **extra):
        now = int(time.time())
        return {
            "id": sub_id,
            "object": "subscription",
            "customer": "cus_acme",
            "status": status,
            "start_date": now - 86400,
            "metadata": extra.pop("metadata", {}),
            "items": {
                "data": [
                    {
                        "quantity": quantity,
                        "current_period_end": now + 29 * 86400,
                        "price": {"id": self.plan_monthly.service_stripe_price_id},
                    }
                ]
            },
            **extra,
        }

    # ------------------------------------------------------------------
    # Signatures
    # ------------------------------------------------------------------

    def test_unsigned_badly_signed_or_old_events_are_refused(self):
        event = stripe_event(
            "evt_forged", "customer.subscription.updated", self._sub_object("canceled")
        )
        cases = {
            "missing signature": {"sign": False},
            "wrong secret": {"secret": "whsec_not_ours"},
            "old timestamp": {"timestamp": int(time.time()) - 3600},
            "garbage header": {"header": "nonsense"},
            "tampered signature": {"header": f"t={int(time.time())},v1={'0' * 64}"},
        }
        for name, kwargs in cases.items():
            with self.subTest(name):
                response = self._post(event, **kwargs)
                self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Event.search([("stripe_id", "=", "evt_forged")]))
        self.assertEqual(self.subscription.state, "active", "nothing was processed")

    def test_signed_payload_that_is_not_an_event_is_refused(self):
        response = self._post('{"hello": "world"}')
        self.assertEqual(response.status_code, 400)
        response = self._post("not json")
        self.assertEqual(response.status_code, 400)

    def test_refused_clearly_when_the_endpoint_has_no_secret_of_its_own(self):
        """payment_stripe's secret is another endpoint's: it does not stand in for ours."""
        self.env["ir.config_parameter"].sudo().set_param("service_licensing.webhook_secrets", "")
        event = stripe_event("evt_nosecret", "invoice.paid", {"id": "in_1"})
        with self.assertLogs("odoo.addons.service_licensing.controllers.webhook", "ERROR") as logs:
            response = self._post(event, secret=PAYMENT_WEBHOOK_SECRET)
        self.assertEqual(response.status_code, 503)
        self.assertIn("not configured", response.json()["error"])
        self.assertIn("Licensing Webhook Signing Secrets", logs.output[0])
        self.assertFalse(self.Event.search([("stripe_id", "=", "evt_nosecret")]))

    def test_payment_stripe_secret_does_not_verify_licensing_events(self):
        event = stripe_event("evt_other_endpoint", "charge.succeeded", {"id": "ch_1"})
        self.assertEqual(self._post(event, secret=PAYMENT_WEBHOOK_SECRET).status_code, 400)
        self.assertFalse(self.Event.search([("stripe_id", "=", "evt_other_endpoint")]))

    def test_rolled_secrets_are_all_accepted(self):
        settings = self.env["res.config.settings"].create(
            {"service_licensing_webhook_secrets": "whsec_new_one, whsec_old_one"}
        )
        settings.execute()
        for secret in ("whsec_new_one", "whsec_old_one"):
            event = stripe_event(f"evt_rolled_{secret}", "charge.succeeded", {"id": "ch_1"})
            self.assertEqual(self._post(event, secret=secret).status_code, 200)
        event = stripe_event("evt_rolled_retired", "charge.succeeded", {"id": "ch_1"})
        self.assertEqual(self._post(event).status_code, 400, "the retired secret is refused")

    # ------------------------------------------------------------------
    # Shape of signed events
    # ------------------------------------------------------------------

    def test_signed_malformed_events_are_recorded_as_failed_never_a_500(self):
        obj = {"id": "in_shape", "object": "invoice"}
        deep = obj_deep = {}
        for _level in range(60):
            obj_deep["x"] = {}
            obj_deep = obj_deep["x"]
        cases = {
            "evt_shape_list_type": ({"type": ["invoice.paid"]}, "event type"),
            "evt_shape_nul_type": ({"type": "invoice.paid\x00"}, "event type"),
            "evt_shape_string_created": ({"created": "1700000000"}, "creation time"),
            "evt_shape_bool_created": ({"created": True}, "creation time"),
            "evt_shape_huge_created": ({"created": 10**20}, "out of range"),
            "evt_shape_no_object": ({"data": {"object": ["in_1"]}}, "no object"),
            "evt_shape_deep": ({"data": {"object": {"id": "in_deep", "deep": deep}}}, "nested"),
            "evt_shape_livemode": ({"livemode": "yes"}, "livemode"),
        }
        for event_id, (override, message) in cases.items():
            with self.subTest(event_id):
                event = {**stripe_event(event_id, "invoice.paid", obj), **override}
                response = self._post(event)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["outcome"], "failed")
                record = self.Event.search([("stripe_id", "=", event_id)])
                self.assertEqual(record.state, "failed")
                self.assertIn(message, record.error)
                self.assertEqual(record.attempts, 10, "not retried: it would not change")
        self.assertFalse(
            # (the ids of these events' objects only: a database may hold others, e.g. the
            # invoices bench/webhooks.py books)
            self.env["account.move"].search(
                [("service_stripe_invoice_id", "in", ["in_shape", "in_deep", "in_1"])]
            ),
            "nothing was applied",
        )
        self.assertFalse(
            self.Event._cron_retry_failed().filtered(lambda e: e.stripe_id.startswith("evt_shape"))
        )

    def test_signed_events_without_a_usable_id_or_too_deep_to_read_are_refused(self):
        cases = {
            "nul in id": stripe_event("evt_nul\x00id", "invoice.paid", {"id": "in_1"}),
            "list as id": {**stripe_event("x", "invoice.paid", {"id": "in_1"}), "id": ["evt_1"]},
            "space in id": stripe_event("evt with space", "invoice.paid", {"id": "in_1"}),
            "surrogate in id": stripe_event("evt_\ud800", "invoice.paid", {"id": "in_1"}),
            "long id": stripe_event("evt_" + "x" * 300, "invoice.paid", {"id": "in_1"}),
            "a list": [1, 2],
            "too deep to parse": "[" * 100000 + "]" * 100000,
        }
        count = self.Event.search_count([])
        for name, event in cases.items():
            with self.subTest(name):
                payload = self._json(event) if not isinstance(event, str) else event
                response = self._post(payload)
                self.assertEqual(response.status_code, 400)
        self.assertEqual(self.Event.search_count([]), count, "nothing recorded")

    # ------------------------------------------------------------------
    # Idempotency and ordering
    # ------------------------------------------------------------------

    def test_subscription_update_is_applied_and_recorded(self):
        event = stripe_event(
            "evt_update", "customer.subscription.updated", self._sub_object("past_due", 4)
        )
        response = self._post(event)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["outcome"], "processed")
        self.assertEqual(self.subscription.state, "past_due")
        self.assertEqual(self.subscription.quantity, 4)
        self.assertTrue(self.subscription.date_end)
        record = self.Event.search([("stripe_id", "=", "evt_update")])
        self.assertEqual(record.state, "processed")
        self.assertEqual(record.subscription_id, self.subscription)

    def test_duplicate_event_is_applied_once(self):
        event = stripe_event(
            "evt_dup", "invoice.payment_failed", stripe_invoice("in_dup", "sub_acme_monthly")
        )
        self.assertEqual(self._post(event).status_code, 200)
        messages_once = len(self.subscription.message_ids)
        for _attempt in range(2):
            self.assertEqual(self._post(event).status_code, 200)
        record = self.Event.search([("stripe_id", "=", "evt_dup")])
        self.assertEqual(len(record), 1)
        self.assertEqual(record.attempts, 1)
        self.assertEqual(len(self.subscription.message_ids), messages_once)
        reminders = self.env["mail.mail"].search(
            [("model", "=", "service.subscription"), ("res_id", "=", self.subscription.id)]
        )
        self.assertEqual(len(reminders.filtered(lambda m: "Payment failed" in m.subject)), 1)
        moves = self.env["account.move"].search([("service_stripe_invoice_id", "=", "in_dup")])
        self.assertEqual(len(moves), 1)

    def test_late_older_events_do_not_undo_newer_ones(self):
        now = int(time.time())
        deleted = stripe_event(
            "evt_deleted",
            "customer.subscription.deleted",
            self._sub_object("canceled", ended_at=now),
            created=now,
        )
        older = stripe_event(
            "evt_older_update",
            "customer.subscription.updated",
            self._sub_object("active", 9),
            created=now - 60,
        )
        self.assertEqual(self._post(deleted).status_code, 200)
        self.assertEqual(self._post(older).status_code, 200)
        self.assertEqual(self.subscription.state, "canceled")
        self.assertEqual(self.subscription.quantity, 3)
        self.assertEqual(
            self.Event.search([("stripe_id", "=", "evt_older_update")]).state, "ignored"
        )

    def _same_second_events(self, sub_id):
        """``customer.subscription.created`` (incomplete) and ``.updated`` (active) of one
        second, as Stripe sends them when the first payment succeeds at once; Stripe's
        subscription is active."""
        now = int(time.time())
        metadata = {
            "odoo_partner_id": str(self.customer.id),
            "odoo_product_id": str(self.plan_monthly.product_tmpl_id.id),
        }
        self.stripe.add_subscription(
            sub_id,
            customer="cus_acme",
            price=self.plan_monthly.service_stripe_price_id,
            quantity=5,
            metadata=metadata,
        )
        created = stripe_event(
            f"evt_{sub_id}_created",
            "customer.subscription.created",
            self._sub_object("incomplete", 5, sub_id=sub_id, metadata=metadata),
            created=now,
        )
        updated = stripe_event(
            f"evt_{sub_id}_updated",
            "customer.subscription.updated",
            self._sub_object("active", 5, sub_id=sub_id, metadata=metadata),
            created=now,
        )
        return created, updated

    def _assert_active_after(self, first, second, sub_id):
        for event in (first, second):
            self.assertEqual(self._post(event).status_code, 200)
        subscription = self.env["service.subscription"].search(
            [("stripe_subscription_id", "=", sub_id)]
        )
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.quantity, 5)
        self.assertEqual(self.Event.search([("stripe_id", "=", second["id"])]).state, "processed")
        self.assertIn(
            ("GET", f"/v1/subscriptions/{sub_id}"),
            [(call["method"], call["path"]) for call in self.stripe.requests],
            "the second event of the same second asks Stripe for the current state",
        )
        return subscription

    def test_same_second_updated_then_created_stays_active(self):
        created, updated = self._same_second_events("sub_same_1")
        subscription = self._assert_active_after(updated, created, "sub_same_1")
        # Allocation is open at once, not after the next event.
        license_ = subscription.with_user(self.owner)._allocate_license(
            {"name": "Tess Tech", "email": "tess@acme.example"}
        )
        self.assertTrue(license_)

    def test_same_second_created_then_updated_becomes_active(self):
        created, updated = self._same_second_events("sub_same_2")
        self._assert_active_after(created, updated, "sub_same_2")

    def test_unhandled_event_types_are_recorded_as_ignored(self):
        event = stripe_event("evt_other", "charge.succeeded", {"id": "ch_1"})
        self.assertEqual(self._post(event).status_code, 200)
        self.assertEqual(self.Event.search([("stripe_id", "=", "evt_other")]).state, "ignored")

    # ------------------------------------------------------------------
    # Checkout
    # ------------------------------------------------------------------

    def _checkout_completed(self, event_id="evt_checkout", sub_id="sub_new"):
        return stripe_event(
            event_id,
            "checkout.session.completed",
            {
                "id": "cs_test_1",
                "object": "checkout.session",
                "mode": "subscription",
                "customer": "cus_acme",
                "subscription": sub_id,
                "client_reference_id": str(self.customer.id),
            },
        )

    def _fake_new_subscription(self, sub_id="sub_new", quantity=7):
        return self.stripe.add_subscription(
            sub_id,
            customer="cus_acme",
            price=self.plan_monthly.service_stripe_price_id,
            quantity=quantity,
            metadata={
                "odoo_partner_id": str(self.customer.id),
                "odoo_product_id": str(self.plan_monthly.product_tmpl_id.id),
            },
        )

    def test_checkout_completed_creates_the_active_subscription(self):
        self._fake_new_subscription()
        response = self._post(self._checkout_completed())
        self.assertEqual(response.status_code, 200)
        subscription = self.env["service.subscription"].search(
            [("stripe_subscription_id", "=", "sub_new")]
        )
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.quantity, 7)
        self.assertEqual(subscription.partner_id, self.customer)
        self.assertEqual(subscription.product_id, self.plan_monthly)
        self.assertTrue(subscription.date_start and subscription.date_end)
        (call,) = self.stripe.requests
        self.assertEqual((call["method"], call["path"]), ("GET", "/v1/subscriptions/sub_new"))
        self.assertEqual(call["authorization"], "Bearer sk_test_service_licensing")

    def test_subscription_created_before_checkout_completed_gives_one_subscription(self):
        stripe_sub = self._fake_new_subscription()
        created = stripe_event(
            "evt_created", "customer.subscription.created", stripe_sub, created=int(time.time())
        )
        self.assertEqual(self._post(created).status_code, 200)
        self.assertEqual(self._post(self._checkout_completed()).status_code, 200)
        subscriptions = self.env["service.subscription"].search(
            [("stripe_subscription_id", "=", "sub_new")]
        )
        self.assertEqual(len(subscriptions), 1)
        self.assertEqual(subscriptions.quantity, 7)

    def test_failed_processing_is_recorded_and_retried_by_the_cron(self):
        self._fake_new_subscription()
        self.stripe.mode = "error"
        response = self._post(self._checkout_completed("evt_retry"))
        self.assertEqual(response.status_code, 200, "recorded: Stripe need not retry")
        record = self.Event.search([("stripe_id", "=", "evt_retry")])
        self.assertEqual(record.state, "failed")
        self.assertTrue(record.error)
        self.assertFalse(
            self.env["service.subscription"].search([("stripe_subscription_id", "=", "sub_new")])
        )
        self.stripe.mode = "ok"
        self.env.ref("service_licensing.ir_cron_retry_stripe_events").method_direct_trigger()
        self.assertEqual(record.state, "processed")
        self.assertEqual(record.attempts, 2)
        self.assertTrue(
            self.env["service.subscription"].search([("stripe_subscription_id", "=", "sub_new")])
        )

    def test_invoice_of_an_unknown_subscription_fails_and_waits_for_the_cron(self):
        event = stripe_event(
            "evt_unknown_invoice", "invoice.paid", {"id": "in_x", "subscription": "sub_nobody"}
        )
        self.assertEqual(self._post(event).status_code, 200)
        record = self.Event.search([("stripe_id", "=", "evt_unknown_invoice")])
        self.assertEqual(record.state, "failed")
        self.assertIn("unknown subscription", record.error)


@tagged("post_install", "-at_install")
class TestStripeEventDeferral(LicensingCommon, TransactionCase):
    """An event for a subscription another transaction is changing waits for the cron.

    Another cursor (another worker) must lock the subscription, so the test builds the
    shared base in a committed cursor, receives the event as the webhook does (in a cursor
    of its own), and deletes it all afterwards."""

    def test_event_for_a_busy_subscription_is_deferred_to_the_cron(self):
        created = self._service_setup_committed("_setup_licensing_base")
        subscription_id = created["winslow_subscription"][1][0]

        def event_of(env):
            subscription = env["service.subscription"].browse(subscription_id)
            return stripe_event(
                "evt_busy",
                "customer.subscription.updated",
                {
                    "id": subscription.stripe_subscription_id,
                    "object": "subscription",
                    "status": "past_due",
                    "customer": subscription.stripe_customer_id,
                    "items": {"data": [{"quantity": 6}]},
                },
                created=max(int(time.time()), subscription.stripe_synced_at + 1),
            )

        def triggers(env):
            cron = env.ref("service_licensing.ir_cron_retry_stripe_events")
            return env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).ids

        event = self._service_committed(event_of)
        triggers_before = self._service_committed(triggers)
        self.addCleanup(
            self._service_committed, lambda env: self._unlink_event(env, triggers_before)
        )
        # Another transaction (another worker) holds the subscription's row.
        with self.registry.cursor() as other_cr:
            other_cr.execute(
                "SELECT id FROM service_subscription WHERE id = %s FOR UPDATE", [subscription_id]
            )
            record = self._service_committed(
                lambda env: env["service.stripe.event"]._receive(event).read(["state", "attempts"])
            )[0]
            self.assertEqual((record["state"], record["attempts"]), ("received", 0))
            other_cr.rollback()
        self.assertEqual(
            len(self._service_committed(triggers)),
            len(triggers_before) + 1,
            "the cron is triggered to process it soon",
        )

        def subscription_state(env):
            subscription = env["service.subscription"].browse(subscription_id)
            return subscription.state, subscription.quantity

        self.assertEqual(self._service_committed(subscription_state)[0], "active")

        def retry(env):
            env["service.stripe.event"]._cron_retry_failed()
            return env["service.stripe.event"].browse(record["id"]).state

        self.assertEqual(self._service_committed(retry), "processed")
        self.assertEqual(self._service_committed(subscription_state), ("past_due", 6))

    def _unlink_event(self, env, triggers_before):
        env["service.stripe.event"].search([("stripe_id", "=", "evt_busy")]).unlink()
        cron = env.ref("service_licensing.ir_cron_retry_stripe_events")
        triggers = env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        (triggers - triggers.browse(triggers_before)).unlink()
