import json
import logging

import stripe

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

# Same tolerance as payment_stripe: older signed payloads are refused (replays).
WEBHOOK_AGE_TOLERANCE = 10 * 60  # seconds


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

        Answers 400 to anything not signed with the provider's webhook secret within the
        tolerance (nothing is recorded), and 200 once the event is recorded, whatever the
        outcome of its processing: failed events are retried by a cron, not by Stripe.
        """
        payload = request.httprequest.get_data(as_text=True)
        header = request.httprequest.headers.get("Stripe-Signature")
        provider = request.env["payment.provider"].sudo()._service_stripe_provider()
        secret = (provider.stripe_webhook_secret if provider else None) or None
        try:
            stripe.WebhookSignature.verify_header(
                payload, header, secret, tolerance=WEBHOOK_AGE_TOLERANCE
            )
            event = json.loads(payload)
            if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
                raise ValueError("not a Stripe event")
        except (stripe.SignatureVerificationError, ValueError, IndexError) as error:
            _logger.warning("Refused a Stripe webhook: %s", error)
            return request.make_json_response({"error": "invalid signature or payload"}, status=400)
        record = request.env["service.stripe.event"].sudo()._receive(event)
        return request.make_json_response({"received": True, "outcome": record.state})
