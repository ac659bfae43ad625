import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.addons.service_portal.models.locking import lock_skip_locked
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

HANDLED_EVENTS = {
    "checkout.session.completed": "_handle_checkout_completed",
    "customer.subscription.created": "_handle_subscription_changed",
    "customer.subscription.updated": "_handle_subscription_changed",
    "customer.subscription.deleted": "_handle_subscription_changed",
    "invoice.paid": "_handle_invoice",
    "invoice.payment_failed": "_handle_invoice",
}
MAX_ATTEMPTS = 10


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
        """
        existing = self.search([("stripe_id", "=", event["id"])], limit=1)
        if existing:
            # A duplicate delivery: already recorded, nothing is written (a write here would
            # make concurrent deliveries of the same event conflict with each other).
            _logger.info("Stripe event %s delivered again: ignored", event["id"])
            return existing
        handled = event["type"] in HANDLED_EVENTS
        # INSERT ... ON CONFLICT DO NOTHING: two deliveries of one event at the same moment
        # record it once, without an integrity error.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO service_stripe_event (
                    stripe_id, event_type, stripe_created, livemode, payload, state, attempts,
                    create_uid, create_date, write_uid, write_date
                )
                VALUES (
                    %(id)s, %(type)s, %(created)s, %(livemode)s, %(payload)s, %(state)s,
                    %(attempts)s, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                    NOW() AT TIME ZONE 'UTC'
                )
                ON CONFLICT (stripe_id) DO NOTHING
                RETURNING id
                """,
                id=event["id"],
                type=event["type"],
                created=int(event.get("created") or 0),
                livemode=bool(event.get("livemode")),
                payload=json.dumps(event),
                # An event type we do not handle is recorded as ignored in the same statement.
                state="received" if handled else "ignored",
                attempts=0 if handled else 1,
                uid=self.env.uid,
            ),
            # A concurrent delivery of the same event makes this fail with a serialization
            # error; Odoo retries the request, which then finds the event: not an error.
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.search([("stripe_id", "=", event["id"])], limit=1)
        record = self.browse(row[0])
        if handled and record._process(event):
            # Deferred: the cron processes it as soon as it can.
            self.env.ref("service_licensing.ir_cron_retry_stripe_events")._trigger()
        return record

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
            record.write(
                {
                    "state": outcome or "processed",
                    "error": False,
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
            self.env["service.subscription"]
            ._stripe_client()
            .v1.subscriptions.retrieve(session["subscription"])
        )
        subscription, _applied = self.env["service.subscription"]._sync_from_stripe(
            stripe_sub.to_dict(), self.stripe_created
        )
        self.subscription_id = subscription
        return "processed"

    def _handle_subscription_changed(self, event):
        stripe_sub = event["data"]["object"]
        subscription, applied = self.env["service.subscription"]._sync_from_stripe(
            stripe_sub, self.stripe_created
        )
        self.subscription_id = subscription
        return "processed" if applied else "ignored"

    def _handle_invoice(self, event):
        invoice = event["data"]["object"]
        stripe_sub_id = invoice.get("subscription") or (
            ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
        )
        subscription = self.env["service.subscription"].search(
            [("stripe_subscription_id", "=", stripe_sub_id)], limit=1
        )
        if not stripe_sub_id or not subscription:
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
        subscription._record_stripe_invoice(invoice, paid=event["type"] == "invoice.paid")
        if not subscription._accept_payment_event(self.stripe_created):
            return "ignored"
        if event["type"] == "invoice.payment_failed":
            subscription._on_payment_failed(invoice.get("id"))
        else:
            subscription._on_invoice_paid(invoice.get("id"))
        return "processed"
