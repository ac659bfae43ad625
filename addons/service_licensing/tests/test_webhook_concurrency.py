"""Two deliveries of one new Stripe event at the same moment, as two workers see them.

Each delivery runs in its own database cursor (own transaction, REPEATABLE READ) and
commits, as an HTTP request does, so this test works in registry cursors and cleans up
after itself instead of using the test transaction.
"""

import uuid

import psycopg2

from odoo import api
from odoo.tests import TransactionCase, tagged

from .common import stripe_event


@tagged("post_install", "-at_install")
class TestWebhookConcurrency(TransactionCase):
    def _cleanup(self, event_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM service_stripe_event WHERE stripe_id = %s", [event_id])

    def test_a_delivery_that_began_before_the_other_recorded_it_fails_to_serialize(self):
        """The controller answers this failure as a duplicate (200, nothing written) instead
        of letting Odoo retry the whole request after a random sleep."""
        event = stripe_event(
            f"evt_twice_{uuid.uuid4().hex[:8]}", "charge.succeeded", {"id": "ch_1"}
        )
        self.addCleanup(self._cleanup, event["id"])
        with self.registry.cursor() as late_cr:
            late_cr.execute("SELECT 1")  # the late delivery's snapshot: before the first commits
            with self.registry.cursor() as first_cr:
                first = api.Environment(first_cr, api.SUPERUSER_ID, {})["service.stripe.event"]
                self.assertEqual(first._receive(event).state, "ignored")
            late = api.Environment(late_cr, api.SUPERUSER_ID, {})["service.stripe.event"]
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                late._receive(event)
            late_cr.rollback()
            # a delivery after that finds it, and writes nothing
            record = late._receive(event)
            self.assertEqual(record.state, "ignored")
            late_cr.execute(
                "SELECT count(*) FROM service_stripe_event WHERE stripe_id = %s", [event["id"]]
            )
            self.assertEqual(late_cr.fetchone()[0], 1)
