"""Crons on several nodes at once: each failed Stripe event is retried by one of them.

Each run works as Odoo's scheduler runs a job: in its own database cursor (own transaction,
REPEATABLE READ), committed at the end. The events must therefore be committed first, so
this test sets up and cleans up its own records in registry cursors instead of the test
transaction.
"""

import json
import threading
import time
import uuid

from odoo import api
from odoo.tests import TransactionCase, tagged

from .common import stripe_event

EVENTS = 6


@tagged("post_install", "-at_install")
class TestCronSafety(TransactionCase):
    def _committed(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, api.SUPERUSER_ID, {}))

    def _setup(self, env):
        """EVENTS subscriptions, each with one failed "subscription updated" event that now
        applies (seven seats instead of five)."""
        tag = uuid.uuid4().hex[:8]
        customer = env["res.partner"].create({"name": f"Cron {tag}", "is_company": True})
        product = env["product.product"].create(
            {
                "name": f"Cron plan {tag}",
                "type": "service",
                "service_plan_kind": "monthly",
                "service_stripe_price_id": f"price_cron_{tag}",
            }
        )
        created = int(time.time())
        events = env["service.stripe.event"]
        for index in range(EVENTS):
            stripe_id = f"sub_cron_{tag}_{index}"
            env["service.subscription"].create(
                {
                    "partner_id": customer.id,
                    "product_id": product.id,
                    "quantity": 5,
                    "state": "active",
                    "stripe_subscription_id": stripe_id,
                }
            )
            obj = {
                "id": stripe_id,
                "object": "subscription",
                "status": "active",
                "items": {"data": [{"quantity": 7}]},
            }
            event = stripe_event(
                f"evt_cron_{tag}_{index}", "customer.subscription.updated", obj, created
            )
            events |= events.create(
                {
                    "stripe_id": event["id"],
                    "event_type": event["type"],
                    "stripe_created": created + index,
                    "payload": json.dumps(event),
                    "state": "failed",
                    "error": "Stripe was down",
                    "attempts": 1,
                }
            )
        return customer.id, events.ids

    def _cleanup(self, env, customer_id, event_ids):
        env["service.stripe.event"].browse(event_ids).unlink()
        subscriptions = env["service.subscription"].search([("partner_id", "=", customer_id)])
        products = subscriptions.product_id
        subscriptions.message_ids.unlink()
        subscriptions.unlink()
        products.product_tmpl_id.unlink()
        env["res.partner"].browse(customer_id).unlink()

    def _prepare(self):
        customer_id, event_ids = self._committed(self._setup)
        self.addCleanup(self._committed, lambda env: self._cleanup(env, customer_id, event_ids))
        return customer_id, event_ids

    def _state_of(self, env, customer_id, event_ids):
        events = env["service.stripe.event"].browse(event_ids)
        subscriptions = env["service.subscription"].search([("partner_id", "=", customer_id)])
        return (
            sorted(events.mapped("state")),
            sorted(events.mapped("attempts")),
            sorted(subscriptions.mapped("quantity")),
        )

    def _assert_each_event_processed_once(self, customer_id, event_ids):
        self.assertEqual(
            self._committed(lambda env: self._state_of(env, customer_id, event_ids)),
            (["processed"] * EVENTS, [2] * EVENTS, [7] * EVENTS),
        )

    def _retry(self, cr, limit=200):
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        return env["service.stripe.event"]._cron_retry_failed(limit=limit).ids

    def test_a_second_run_skips_the_events_the_first_one_holds(self):
        """Run A has picked and processed its events but not committed yet; run B, on
        another node, neither waits for A nor processes them again: it takes the others."""
        customer_id, event_ids = self._prepare()
        with self.registry.cursor() as cr_a:
            picked_a = self._retry(cr_a, limit=EVENTS // 2)
            self.assertEqual(len(picked_a), EVENTS // 2)
            with self.registry.cursor() as cr_b:
                # without SKIP LOCKED, B would wait for A's row locks (here: fail)
                cr_b.execute("SET LOCAL lock_timeout = '5s'")
                picked_b = self._retry(cr_b)
        ours = set(event_ids)
        self.assertEqual(set(picked_a) & set(picked_b) & ours, set())
        self.assertEqual((set(picked_a) | set(picked_b)) & ours, ours)
        self._assert_each_event_processed_once(customer_id, event_ids)

    def test_two_cron_runs_at_once_process_each_failed_event_once(self):
        customer_id, event_ids = self._prepare()
        barrier = threading.Barrier(2)
        picked, errors = [[], []], []

        def run(index):
            try:
                with self.registry.cursor() as cr:
                    cr.execute("SET LOCAL lock_timeout = '10s'")
                    barrier.wait(timeout=30)
                    picked[index] = self._retry(cr)
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        ours = set(event_ids)
        self.assertEqual(set(picked[0]) & set(picked[1]) & ours, set())
        self.assertEqual((set(picked[0]) | set(picked[1])) & ours, ours)
        self._assert_each_event_processed_once(customer_id, event_ids)
