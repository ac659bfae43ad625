import hashlib
import json
import logging
import re
import uuid

import stripe

from odoo import api, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError

from ..const import (
    DEFAULT_API_BASE,
    DEFAULT_NETWORK_RETRIES,
    DEFAULT_TIMEOUT,
    WEBHOOK_SECRETS_PARAM,
)

_logger = logging.getLogger(__name__)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    @api.model
    def _service_stripe_provider(self):
        """The Stripe provider of payment_stripe whose keys the licensing flows reuse.

        The enabled one wins over the one in test mode; a disabled provider is still used
        when it holds keys, so that staff can run the licensing flows before opening card
        payments on the website.
        """
        providers = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("code", "=", "stripe"), ("company_id", "=", self.env.company.id)],
            )
        )
        order = {"enabled": 0, "test": 1, "disabled": 2}
        providers = providers.sorted(lambda p: (order.get(p.state, 3), p.id))
        return providers[:1]

    @api.model
    def _service_stripe_api_base(self):
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("service_licensing.stripe_api_base", DEFAULT_API_BASE)
            .rstrip("/")
        )

    @api.model
    def _service_stripe_client(self):
        """A `stripe.StripeClient` with the provider's secret key and our API base URL."""
        provider = self._service_stripe_provider()
        if not provider or not provider.stripe_secret_key:
            raise UserError(
                self.env._(
                    "Online purchases are not available yet: the Stripe payment provider has "
                    "no secret key. Please contact us to buy licences."
                )
            )
        params = self.env["ir.config_parameter"].sudo()
        timeout = float(params.get_param("service_licensing.stripe_timeout", DEFAULT_TIMEOUT))
        retries = params._service_get_int(
            "service_licensing.stripe_network_retries", DEFAULT_NETWORK_RETRIES, minimum=0
        )
        return stripe.StripeClient(
            provider.stripe_secret_key,
            base_addresses={"api": self._service_stripe_api_base()},
            http_client=stripe.RequestsClient(timeout=timeout),
            max_network_retries=retries,
        )

    @api.model
    def _service_webhook_secrets(self):
        """The signing secrets of the licensing webhook endpoint (several while one is rolled).

        Not payment_stripe's `stripe_webhook_secret`: each Stripe endpoint signs with its own
        secret, and payment_stripe keeps its endpoint's secret in that field.
        """
        value = self.env["ir.config_parameter"].sudo().get_param(WEBHOOK_SECRETS_PARAM) or ""
        return [secret for secret in re.split(r"[\s,;]+", value) if secret]

    @api.model
    def _service_stripe_idempotency_key(self, *parts, params=None):
        """A key for one Stripe request: the same request retried gets the same answer, a
        changed one (other params) a new key rather than Stripe's idempotency error."""
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        if params is not None:
            digest = hashlib.sha256(
                json.dumps(params, sort_keys=True, default=str).encode()
            ).hexdigest()
            parts = (*parts, digest[:32])
        return "-".join(str(part) for part in ("service", dbuuid[:8], *parts))

    @api.model
    def _service_stripe_error_message(self, error):
        """What to tell the user of a failed Stripe call (nothing was charged either way).

        A refusal of our request (4xx: a wrong price id, no billing-portal configuration, a
        revoked key) will not go away by trying again: staff see Stripe's message, customers a
        plain sentence, and Stripe's message is logged for the administrators. Anything else
        (Stripe unreachable, a 5xx, too many requests) is worth trying again later.
        """
        status = getattr(error, "http_status", None)
        refused = isinstance(error, stripe.StripeError) and (
            status is not None and 400 <= status < 500 and status != 429
        )
        if not refused:
            _logger.warning("Stripe could not be reached: %s", error)
            return self.env._(
                "Stripe could not be reached; nothing was charged. Please try again in a few "
                "minutes."
            )
        stripe_message = getattr(error, "user_message", None) or str(error)
        _logger.warning("Stripe refused a request (HTTP %s): %s", status, stripe_message)
        if self.env.user.has_group("service_licensing.group_licensing_manager"):
            return self.env._(
                "Stripe refused the request (HTTP %(status)s): %(message)s",
                status=status,
                message=stripe_message,
            )
        return self.env._(
            "Online payment is not possible at the moment because of a problem in our payment "
            "settings; nothing was charged. We have been told and will fix it: please contact "
            "us if you need it sooner."
        )

    @api.model
    def _service_stripe_customer_for(self, customer):
        """The Stripe customer id of an organisation, created in Stripe at the first purchase.

        The id is committed at once, in a transaction of its own: if what follows fails (and
        the request's transaction is rolled back), the next attempt reuses the customer.
        Before creating one, Stripe is asked for a customer of this organisation (a previous
        attempt whose answer was lost), so that the organisation has one Stripe customer.
        """
        customer = customer.sudo()
        if customer.service_stripe_customer_id:
            return customer.service_stripe_customer_id
        client = self._service_stripe_client()
        found = client.v1.customers.search(
            params={"query": f"metadata['odoo_partner_id']:'{customer.id}'", "limit": 1}
        )
        if found.data:
            stripe_customer_id = found.data[0].id
        else:
            params = {
                "name": customer.name,
                "email": customer.email or "",
                "metadata": {"odoo_partner_id": str(customer.id)},
            }
            stripe_customer_id = client.v1.customers.create(
                params=params,
                # A retry of the same request finds the same customer; a changed one (the
                # name was corrected) gets a new key, not Stripe's idempotency error.
                options={
                    "idempotency_key": self._service_stripe_idempotency_key(
                        "customer", customer.id, params=params
                    )
                },
            ).id
        with self.env.registry.cursor() as cr:
            self.env(cr=cr)["res.partner"].sudo().browse(customer.id).write(
                {"service_stripe_customer_id": stripe_customer_id}
            )
        customer.invalidate_recordset(["service_stripe_customer_id"])
        return stripe_customer_id

    @api.model
    def _service_stripe_start_checkout(self, customer, product, quantity, success_url, cancel_url):
        """Create a Stripe Checkout session for ``quantity`` of ``product``; return its URL.

        Nothing is recorded locally before the payment: the subscription is created from the
        webhook (checkout.session.completed or customer.subscription.created, whichever comes
        first), with the metadata sent here.
        """
        customer.with_env(self.env)._service_check_licensing_admin()
        product = product.sudo()
        if not product.service_plan_kind or not product.sale_ok:
            raise UserError(self.env._("This product is not sold online."))
        if quantity < 1 or quantity > 1000:
            raise FieldUserError(self.env._("Choose a quantity between 1 and 1000."), "quantity")
        metadata = {
            "odoo_partner_id": str(customer.id),
            "odoo_product_id": str(product.id),
            "odoo_buyer_id": str(self.env.user.id),
        }
        try:
            stripe_customer_id = self._service_stripe_customer_for(customer)
            session = self._service_stripe_client().v1.checkout.sessions.create(
                params={
                    "mode": "subscription",
                    "customer": stripe_customer_id,
                    "client_reference_id": str(customer.id),
                    "line_items": [
                        {"price": product.service_stripe_price_id, "quantity": quantity}
                    ],
                    "metadata": metadata,
                    "subscription_data": {"metadata": metadata},
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                },
                options={
                    "idempotency_key": self._service_stripe_idempotency_key(
                        "checkout", customer.id, product.id, quantity, uuid.uuid4().hex
                    )
                },
            )
        except stripe.StripeError as error:
            raise UserError(self._service_stripe_error_message(error)) from error
        return session.url

    @api.model
    def _service_stripe_start_billing_portal(self, customer, return_url):
        customer.with_env(self.env)._service_check_licensing_admin()
        stripe_customer_id = customer.sudo().service_stripe_customer_id
        if not stripe_customer_id:
            raise UserError(self.env._("There is no card billing to update yet."))
        try:
            session = self._service_stripe_client().v1.billing_portal.sessions.create(
                params={"customer": stripe_customer_id, "return_url": return_url},
                options={
                    "idempotency_key": self._service_stripe_idempotency_key("portal", uuid.uuid4())
                },
            )
        except stripe.StripeError as error:
            raise UserError(self._service_stripe_error_message(error)) from error
        return session.url
