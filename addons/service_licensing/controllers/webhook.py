import json
import logging

import psycopg2
import stripe

from odoo import http
from odoo.http import request

from ..const import WEBHOOK_AGE_TOLERANCE, WEBHOOK_SECRETS_PARAM

_logger = logging.getLogger(__name__)


class ServiceStripeWebhook(http.Controller):
    @http.route(
        "/service/stripe/webhook",
        type="http",
        methods=["POST"],
        auth="public",
        csrf=False,
        save_session=False,
    )
    def service_stripe_webhook(self):
        """Verify, record once and process a Stripe event.

        Answers 400 to anything not signed with one of the endpoint's secrets within the
        tolerance (nothing is recorded), and 200 once the event is recorded, whatever the
        outcome of its processing: failed events are retried by a cron, not by Stripe.
        """
        payload = request.httprequest.get_data(as_text=True)
        header = request.httprequest.headers.get("Stripe-Signature")
        secrets = request.env["payment.provider"].sudo()._service_webhook_secrets()
        if not secrets:
            # Not the sender's fault: an answer Stripe shows in the endpoint's delivery log and
            # retries (for three days), while the log tells the administrator what to set.
            _logger.error(
                "Refused a Stripe webhook: the licensing endpoint has no signing secret. Set "
                "it in Settings > Field Service > Licensing Webhook Signing Secrets "
                "(system parameter %s).",
                WEBHOOK_SECRETS_PARAM,
            )
            return request.make_json_response(
                {"error": "the licensing webhook signing secret is not configured"}, status=503
            )
        try:
            self._verify_signature(payload, header, secrets)
            try:
                event = json.loads(payload)
            except RecursionError:
                raise ValueError("nested too deeply to be read") from None
            if not isinstance(event, dict):
                raise ValueError("not a Stripe event")
            # Without a usable id an event cannot be recorded once: refused. Any other
            # malformation is recorded as failed, with its reason, for the staff to see.
            request.env["service.stripe.event"]._check_event_id(event.get("id"))
        except (stripe.SignatureVerificationError, ValueError, IndexError) as error:
            _logger.warning("Refused a Stripe webhook: %s", error)
            return request.make_json_response({"error": "invalid signature or payload"}, status=400)
        try:
            record = request.env["service.stripe.event"].sudo()._receive(event)
        except psycopg2.errors.SerializationFailure:
            # The same event delivered twice at the same moment: the other delivery recorded
            # it after this transaction began. Answered as any duplicate at once, rather than
            # through Odoo's retry of the whole request (after a random sleep of up to
            # seconds, holding a worker). This request wrote nothing else: its transaction
            # ends here.
            request.env.cr.rollback()
            _logger.info("Stripe event %s delivered twice at once: ignored", event["id"])
            return request.make_json_response({"received": True, "outcome": "duplicate"})
        return request.make_json_response({"received": True, "outcome": record.state})

    @staticmethod
    def _verify_signature(payload, header, secrets):
        """Raise unless one of ``secrets`` signed ``payload`` within the tolerance."""
        error = None
        for secret in secrets:
            try:
                stripe.WebhookSignature.verify_header(
                    payload, header, secret, tolerance=WEBHOOK_AGE_TOLERANCE
                )
                return
            except stripe.SignatureVerificationError as failure:
                error = failure
        raise error
