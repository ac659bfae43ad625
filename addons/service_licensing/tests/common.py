import hashlib
import hmac
import json
import time

from odoo import Command

from .stripe_fake import StripeFake

WEBHOOK_SECRET = "whsec_test_service_licensing"
SECRET_KEY = "sk_test_service_licensing"


def sign_stripe_payload(payload, secret=WEBHOOK_SECRET, timestamp=None):
    """The Stripe-Signature header of a payload, computed as Stripe does."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def stripe_event(event_id, event_type, obj, created=None):
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "data": {"object": obj},
    }


def stripe_invoice(invoice_id, sub_id, quantity=3, unit_amount=4900, currency="usd"):
    """A Stripe invoice of a subscription (API 2025 shape: the subscription under parent)."""
    amount = quantity * unit_amount
    return {
        "id": invoice_id,
        "object": "invoice",
        "number": f"INV-{invoice_id}",
        "currency": currency,
        "created": int(time.time()),
        "total": amount,
        "amount_paid": amount,
        "status_transitions": {"paid_at": int(time.time())},
        "parent": {"subscription_details": {"subscription": sub_id}},
        "lines": {
            "data": [
                {
                    "description": f"{quantity} x Technician licence",
                    "quantity": quantity,
                    "amount": amount,
                }
            ]
        },
    }


class LicensingSetupMixin:
    """Two customers, their admins, a plain contact, and an active monthly subscription."""

    @classmethod
    def _setup_licensing(cls, env):
        Partner = env["res.partner"]
        cls.customer = Partner.create({"name": "Acme Repairs", "is_company": True})
        cls.other_customer = Partner.create({"name": "Globex Services", "is_company": True})
        cls.owner = cls._portal_user(env, "Olive Owner", "olive@acme.example", cls.customer)
        cls.owner.partner_id.service_admin_role = "owner"
        cls.secondary = cls._portal_user(env, "Sam Second", "sam@acme.example", cls.customer)
        cls.secondary.partner_id.service_admin_role = "secondary"
        cls.contact = cls._portal_user(env, "Carl Contact", "carl@acme.example", cls.customer)
        cls.other_owner = cls._portal_user(
            env, "Gina Globex", "gina@globex.example", cls.other_customer
        )
        cls.other_owner.partner_id.service_admin_role = "owner"
        cls.plan_monthly = env.ref("service_licensing.product_plan_monthly").product_variant_id
        cls.plan_annual = env.ref("service_licensing.product_plan_annual").product_variant_id
        cls.addon = env.ref("service_licensing.product_addon_replacement").product_variant_id
        cls.subscription = env["service.subscription"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.plan_monthly.id,
                "quantity": 3,
                "state": "active",
                "stripe_subscription_id": "sub_acme_monthly",
                "stripe_customer_id": "cus_acme",
            }
        )

    @classmethod
    def _portal_user(cls, env, name, login, parent):
        partner = env["res.partner"].create({"name": name, "email": login, "parent_id": parent.id})
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "partner_id": partner.id,
                    "login": login,
                    "password": login,
                    "group_ids": [Command.set([env.ref("base.group_portal").id])],
                }
            )
        )

    @classmethod
    def _setup_stripe_provider(cls, env, api_base=None):
        provider = env.ref("payment.payment_provider_stripe")
        provider.write(
            {
                "stripe_secret_key": SECRET_KEY,
                "stripe_publishable_key": "pk_test_service_licensing",
                "stripe_webhook_secret": WEBHOOK_SECRET,
            }
        )
        params = env["ir.config_parameter"].sudo()
        if api_base:
            params.set_param("service_licensing.stripe_api_base", api_base)
        params.set_param("service_licensing.stripe_timeout", "1")
        params.set_param("service_licensing.stripe_network_retries", "0")
        return provider

    @staticmethod
    def _json(payload):
        return json.dumps(payload, separators=(",", ":"))


class StripeFakeSetupMixin(LicensingSetupMixin):
    """The licensing set-up with the payment provider pointed at a Stripe fake on loopback,
    whose recorded calls are forgotten before each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = StripeFake().start()
        cls.addClassCleanup(cls.stripe.stop)
        cls._setup_licensing(cls.env)
        cls._setup_stripe_provider(cls.env, api_base=cls.stripe.url)

    def setUp(self):
        super().setUp()
        self.stripe.reset()
