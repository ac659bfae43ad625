import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.addons.service_portal.models.locking import lock_skip_locked
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..const import (
    EVENT_ID_RE,
    EVENT_TYPE_RE,
    HANDLED_EVENTS,
    MAX_ATTEMPTS,
    MAX_PAYLOAD_DEPTH,
    MAX_TIMESTAMP,
)
from ..utils import stripe_date

_logger = logging.getLogger(__name__)


class ServiceStripeEvent(models.Model):
    _name = "service.stripe.event"
    _description = "Stripe Webhook Event"
    _order = "id desc"
    _rec_name = "stripe_id"

    stripe_id = fields.Char(string="Event", required=True, readonly=True)
    event_type = fields.Char(string="Type", required=True, readonly=True, index=True)
    stripe_created = fields.Integer(
        string="Created (Unix)", readonly=True, help="When Stripe produced the event."
    )
    livemode = fields.Boolean(readonly=True)
    payload = fields.Text(readonly=True, prefetch=False)  # big: read only when needed
    state = fields.Selection(
        [
            ("received", "Received"),
            ("processed", "Processed"),
            ("ignored", "Ignored"),
            ("failed", "Failed"),
        ],
        string="Outcome",
        default="received",
        required=True,
        readonly=True,
        index=True,
    )
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    date_processed = fields.Datetime(readonly=True)
    subscription_id = fields.Many2one("service.subscription", readonly=True, index=True)

    _stripe_id_uniq = models.Constraint(
        "UNIQUE (stripe_id)", "A Stripe event is recorded once only."
    )

    @api.model
    def _receive(self, event):
        """Record a verified event once, and process it if it is new.

        :param dict event: the event as Stripe sent it
        :return: the ``service.stripe.event`` record
        :raise psycopg2.errors.SerializationFailure: when another transaction recorded the
            same event after this one began (a delivery at the same moment)
        """
        self._check_event_id(event.get("id"))
        shape_error = self._shape_error(event)
        event_type = event.get("type")
        handled = not shape_error and event_type in HANDLED_EVENTS
        created = event.get("created")
        state = "received" if handled else "failed" if shape_error else "ignored"
        # One statement, one round trip: the row of an event already recorded (a duplicate
        # delivery: nothing is written, so concurrent deliveries of a recorded event never
        # conflict), else the row inserted now. ON CONFLICT: two deliveries of one new event
        # at the same moment record it once (the second one waits for the first and, under
        # REPEATABLE READ, fails with a serialization error: see the controller).
        self.env.cr.execute(
            SQL(
                """
                WITH known AS (
                    SELECT id, state FROM service_stripe_event WHERE stripe_id = %(id)s
                ), inserted AS (
                    INSERT INTO service_stripe_event (
                        stripe_id, event_type, stripe_created, livemode, payload, state, error,
                        attempts, create_uid, create_date, write_uid, write_date
                    )
                    SELECT
                        %(id)s, %(type)s, %(created)s, %(livemode)s, %(payload)s, %(state)s,
                        %(error)s, %(attempts)s, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                        NOW() AT TIME ZONE 'UTC'
                    WHERE NOT EXISTS (SELECT FROM known)
                    ON CONFLICT (stripe_id) DO NOTHING
                    RETURNING id, state
                )
                SELECT id, state, FALSE FROM known
                UNION ALL
                SELECT id, state, TRUE FROM inserted
                """,
                id=event["id"],
                type=event_type if isinstance(event_type, str) and not shape_error else "invalid",
                created=created if isinstance(created, int) and not shape_error else 0,
                livemode=event.get("livemode") is True,
                payload=json.dumps(event),
                # An event type we do not handle is recorded as ignored in the same statement,
                # a malformed event as failed for good (a retry would not change it).
                state=state,
                error=shape_error or None,
                attempts=0 if handled else MAX_ATTEMPTS if shape_error else 1,
                uid=self.env.uid,
            ),
            # The serialization error of a concurrent delivery is expected: not logged.
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.search([("stripe_id", "=", event["id"])], limit=1)
        record_id, recorded_state, new = row
        record = self.browse(record_id)
        # what the webhook answers, known without reading the row again
        record._update_cache({"state": recorded_state}, validate=False)
        if not new:
            _logger.info("Stripe event %s delivered again: ignored", event["id"])
            return record
        if shape_error:
            _logger.warning("Stripe event %s is malformed: %s", event["id"], shape_error)
        if handled and record._process(event):
            # Deferred: the cron processes it as soon as it can.
            self.env.ref("service_licensing.ir_cron_retry_stripe_events")._trigger()
        return record

    @api.model
    def _check_event_id(self, event_id):
        """Raise ValueError unless ``event_id`` can be the key an event is recorded under."""
        if not isinstance(event_id, str) or not EVENT_ID_RE.fullmatch(event_id):
            raise ValueError("the event id is not a Stripe id")

    @api.model
    def _shape_error(self, event):
        """Why a signed event cannot be a Stripe event, or None (checked before anything
        reads it: a handler may then trust the types of these fields)."""
        event_type = event.get("type")
        if not isinstance(event_type, str) or not EVENT_TYPE_RE.fullmatch(event_type):
            return self.env._("The event type is not a Stripe event type.")
        created = event.get("created")
        if not isinstance(created, int) or isinstance(created, bool):
            return self.env._("The event's creation time is not a Unix timestamp.")
        if not 0 <= created <= MAX_TIMESTAMP:
            return self.env._("The event's creation time is out of range.")
        if "livemode" in event and not isinstance(event["livemode"], bool):
            return self.env._("The event's livemode is not a boolean.")
        data = event.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
            return self.env._("The event has no object.")
        if not isinstance(data["object"].get("id", ""), str):
            return self.env._("The event's object has no Stripe id.")
        # Depth, without recursion.
        stack = [(event, 1)]
        while stack:
            value, depth = stack.pop()
            if depth > MAX_PAYLOAD_DEPTH:
                return self.env._(
                    "The event is nested more than %(depth)s levels deep.", depth=MAX_PAYLOAD_DEPTH
                )
            children = value.values() if isinstance(value, dict) else value
            stack.extend(
                (child, depth + 1) for child in children if isinstance(child, (dict, list))
            )
        return None

    def _process(self, event=None):
        """Apply each event in its own savepoint; a failure is recorded, never raised.

        :param dict event: the payload, already parsed, when processing one event
        :return: the events deferred because the records they change were busy (locked or
            changed by a concurrent transaction); they stay "received" for the cron
        """
        deferred = self.browse()
        for record in self:
            payload = event if event is not None and len(self) == 1 else json.loads(record.payload)
            handler = HANDLED_EVENTS.get(record.event_type)
            if not handler:
                record.write({"state": "ignored", "error": False, "attempts": 1})
                continue
            try:
                with self.env.cr.savepoint():
                    outcome = getattr(record, handler)(payload)
            except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
                # Another transaction is changing the same subscription: rather than wait
                # (and tie up a worker) or fail, leave it to the cron, in order.
                _logger.info("Stripe event %s deferred: its records are busy", record.stripe_id)
                deferred |= record
                continue
            except Exception as error:
                # Whatever went wrong (Stripe down, unknown customer, malformed payload, a bug),
                # the event stays recorded with its error and the cron processes it again.
                _logger.warning("Stripe event %s failed: %s", record.stripe_id, error)
                record.write(
                    {"state": "failed", "error": str(error), "attempts": record.attempts + 1}
                )
                continue
            # A handler may say why it ignored an event: kept for the staff, not an error.
            outcome, reason = outcome if isinstance(outcome, tuple) else (outcome, False)
            record.write(
                {
                    "state": outcome or "processed",
                    "error": reason,
                    "attempts": record.attempts + 1,
                    "date_processed": fields.Datetime.now(),
                }
            )
        return deferred

    @api.model
    def _cron_retry_failed(self, limit=200):
        failed = self.search(
            [("state", "in", ("failed", "received")), ("attempts", "<", MAX_ATTEMPTS)],
            order="stripe_created, id",
            limit=limit,
        )
        # two nodes retrying at once process each event once (see lock_skip_locked)
        failed = lock_skip_locked(failed)
        failed._process()
        return failed

    # ------------------------------------------------------------------
    # Handlers: each one returns "processed" or "ignored", or raises.
    # ------------------------------------------------------------------

    def _handle_checkout_completed(self, event):
        session = event["data"]["object"]
        if session.get("mode") != "subscription" or not session.get("subscription"):
            return "ignored"
        # The session does not carry the subscription's state: ask Stripe for it.
        stripe_sub = (
            self.env["payment.provider"]
            ._service_stripe_client()
            .v1.subscriptions.retrieve(session["subscription"])
        )
        subscription, _applied = self._sync_subscription(stripe_sub.to_dict())
        self.subscription_id = subscription
        return "processed"

    def _handle_subscription_changed(self, event):
        stripe_sub = event["data"]["object"]
        known = (
            self.env["service.subscription"]
            .sudo()
            .search([("stripe_subscription_id", "=", stripe_sub["id"])], limit=1)
        )
        if known.stripe_synced_at and self.stripe_created == known.stripe_synced_at:
            # Two events of the same second: their order says nothing (Stripe does not
            # guarantee it, and `created` is in seconds), so either payload may be the stale
            # one. Stripe's current subscription decides.
            stripe_sub = (
                self.env["payment.provider"]
                ._service_stripe_client()
                .v1.subscriptions.retrieve(stripe_sub["id"])
                .to_dict()
            )
        subscription, applied = self._sync_subscription(stripe_sub)
        self.subscription_id = subscription
        return "processed" if applied else "ignored"

    def _handle_invoice(self, event):
        invoice = event["data"]["object"]
        stripe_sub_id = invoice.get("subscription") or (
            ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
        )
        paid = event["type"] == "invoice.paid"
        if not stripe_sub_id:
            return self._record_one_off_invoice(invoice, paid)
        subscription = self.env["service.subscription"].search(
            [("stripe_subscription_id", "=", stripe_sub_id)], limit=1
        )
        if not subscription:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is for an unknown subscription %(sub)s: retried later.",
                    invoice=invoice.get("id"),
                    sub=stripe_sub_id,
                )
            )
        self.subscription_id = subscription
        # Whatever the order of the events, each Stripe invoice is recorded once, and paid
        # once Stripe says so.
        self.env["account.move"]._service_stripe_record_invoice(
            invoice, subscription.partner_id, subscription=subscription, paid=paid
        )
        if not self._accept_payment_event(subscription):
            return "ignored"
        if event["type"] == "invoice.payment_failed":
            self._on_payment_failed(subscription, invoice.get("id"))
        else:
            self._on_invoice_paid(subscription, invoice.get("id"))
        return "processed"

    def _record_one_off_invoice(self, invoice, paid):
        """A Stripe invoice with no subscription (a one-off sale): recorded against the
        customer when Stripe's customer is one of ours, else left alone with the reason (it
        is not ours to book, and retrying would not change that)."""
        customer_id = invoice.get("customer")
        if isinstance(customer_id, dict):
            customer_id = customer_id.get("id")
        partner = self.env["res.partner"].browse()
        if customer_id and isinstance(customer_id, str):
            partner = self.env["res.partner"].sudo().search(
                [("service_stripe_customer_id", "=", customer_id)], limit=1
            ) or (
                self.env["service.subscription"]
                .sudo()
                .search([("stripe_customer_id", "=", customer_id)], limit=1)
                .partner_id
            )
        if not partner:
            return "ignored", self.env._(
                "Invoice %(invoice)s has no subscription and its Stripe customer %(customer)s "
                "is not one of ours: not recorded.",
                invoice=invoice.get("id"),
                customer=customer_id or "-",
            )
        self.env["account.move"]._service_stripe_record_invoice(
            invoice, partner.commercial_partner_id, paid=paid
        )
        return "processed"

    def _handle_credit_note(self, event):
        credit_note = event["data"]["object"]
        move = self.env["account.move"]._service_stripe_record_credit_note(credit_note)
        self.subscription_id = move.service_subscription_id
        return "processed"

    def _handle_charge_refunded(self, event):
        result = self.env["account.payment"]._service_stripe_record_charge_refund(
            event["data"]["object"]
        )
        if isinstance(result, str):
            return "ignored", result
        self.subscription_id = result.service_subscription_id
        return "processed"

    def _handle_dispute(self, event):
        result = self.env["account.payment"]._service_stripe_record_dispute(
            event["data"]["object"], closed=event["type"] == "charge.dispute.closed"
        )
        if isinstance(result, str):
            return "ignored", result
        return "processed"

    def _handle_payout(self, event):
        payout = event["data"]["object"]
        result = self.env["service.stripe.payout"]._record_payout(
            payout, failed=event["type"] == "payout.failed"
        )
        if isinstance(result, str):
            return "ignored", result
        return "processed"

    # ------------------------------------------------------------------
    # Stripe's subscriptions and invoices mapped onto the subscription
    # ------------------------------------------------------------------

    def _sync_subscription(self, stripe_sub):
        """Create or update the subscription from a Stripe subscription object.

        :param dict stripe_sub: the Stripe subscription, as a dict, in the state Stripe gave
            it when it produced this event; a state older than the one already applied is
            ignored
        :return: (subscription, applied)
        """
        self.ensure_one()
        event_created = self.stripe_created
        Subscription = self.env["service.subscription"].sudo()
        subscription = Subscription.search(
            [("stripe_subscription_id", "=", stripe_sub["id"])], limit=1
        )
        if subscription:
            subscription._lock_for_update(nowait=True)
            if subscription.stripe_synced_at and event_created < subscription.stripe_synced_at:
                return subscription, False
        items = (stripe_sub.get("items") or {}).get("data") or []
        item = items[0] if items else {}
        vals = {
            "state": stripe_sub["status"],
            "quantity": item.get("quantity") or stripe_sub.get("quantity") or 0,
            "stripe_customer_id": stripe_sub.get("customer"),
            "stripe_synced_at": event_created,
            "date_start": stripe_date(stripe_sub.get("start_date")),
            "date_end": stripe_date(
                stripe_sub.get("ended_at")
                or stripe_sub.get("cancel_at")
                or item.get("current_period_end")
                or stripe_sub.get("current_period_end")
            ),
        }
        if subscription:
            subscription.write(vals)
            return subscription, True
        metadata = stripe_sub.get("metadata") or {}
        customer = self.env["res.partner"].sudo().browse(int(metadata.get("odoo_partner_id", 0)))
        price_id = (item.get("price") or {}).get("id")
        product = (
            self.env["product.product"]
            .sudo()
            .search(
                [("service_stripe_price_id", "=", price_id), ("service_plan_kind", "!=", False)],
                limit=1,
            )
        )
        if not customer.exists() or not product:
            raise UserError(
                self.env._(
                    "Stripe subscription %(sub)s names no known customer or plan "
                    "(metadata %(metadata)s, price %(price)s).",
                    sub=stripe_sub["id"],
                    metadata=metadata,
                    price=price_id,
                )
            )
        subscription = Subscription.create(
            {
                **vals,
                "partner_id": customer.commercial_partner_id.id,
                "product_id": product.id,
                "payment_mode": "card",
                "stripe_subscription_id": stripe_sub["id"],
            }
        )
        return subscription, True

    def _accept_payment_event(self, subscription):
        """Whether this invoice event is newer than the last one applied to ``subscription``
        (and note it if so)."""
        self.ensure_one()
        subscription._lock_for_update(nowait=True)
        if subscription.payment_event_at and self.stripe_created < subscription.payment_event_at:
            return False
        subscription.payment_event_at = self.stripe_created
        return True

    @api.model
    def _on_payment_failed(self, subscription, invoice_ref):
        """Remind the customer's admins; start the grace period at the first failure."""
        subscription.ensure_one()
        if not subscription.payment_failed_since:
            subscription.payment_failed_since = fields.Datetime.now()
        subscription.message_post(
            body=self.env._("Stripe could not collect invoice %(invoice)s.", invoice=invoice_ref)
        )
        template = self.env.ref("service_licensing.mail_template_payment_failed")
        template.send_mail(subscription.id)

    @api.model
    def _on_invoice_paid(self, subscription, invoice_ref):
        """The account is settled: end the grace period and restore a suspended access."""
        subscription.ensure_one()
        subscription.message_post(
            body=self.env._("Stripe collected invoice %(invoice)s.", invoice=invoice_ref)
        )
        subscription.payment_failed_since = False
        if subscription.access_suspended:
            subscription._restore_access()
