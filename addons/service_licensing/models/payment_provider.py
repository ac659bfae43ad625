import re

import stripe

from odoo import api, models
from odoo.exceptions import UserError

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_TIMEOUT = 20  # seconds; a portal user is waiting for the answer
DEFAULT_NETWORK_RETRIES = 2
WEBHOOK_SECRETS_PARAM = "service_licensing.webhook_secrets"


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
        retries = int(
            params.get_param("service_licensing.stripe_network_retries", DEFAULT_NETWORK_RETRIES)
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
