import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import stripe
from dateutil.relativedelta import relativedelta

from odoo import Command, fields, http
from odoo.addons.service_portal.tests.common import ServicePortalCommon

from .stripe_fake import StripeFake

WEBHOOK_SECRET = "whsec_test_service_licensing"
PAYMENT_WEBHOOK_SECRET = "whsec_test_payment_stripe_endpoint"
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


def stripe_priced_invoice(
    invoice_id,
    lines,
    *,
    sub_id=None,
    customer="cus_acme",
    currency="usd",
    coupon_percent=0,
    paid=True,
    created=None,
):
    """A Stripe invoice of the SDK's pinned API version, computed as Stripe computes it.

    :param lines: dicts with ``amount`` (minor units, before discount, inclusive taxes
        included), optional ``quantity``, ``tax`` (percentage), ``behavior`` (exclusive or
        inclusive) and ``discount`` (minor units, a line discount)
    :param coupon_percent: an invoice-level coupon, spread over the lines as Stripe does
    """
    created = int(time.time()) if created is None else created
    stripe_lines, total_taxes, total_discounts = [], [], []
    subtotal = total = 0
    for index, spec in enumerate(lines):
        amount = spec["amount"]
        discounts = []
        if spec.get("discount"):
            discounts.append({"amount": spec["discount"], "discount": f"di_line{index}"})
        if coupon_percent:
            coupon = round((amount - sum(d["amount"] for d in discounts)) * coupon_percent / 100)
            discounts.append({"amount": coupon, "discount": "di_coupon"})
        net = amount - sum(d["amount"] for d in discounts)
        taxes = []
        if spec.get("tax") is not None:
            rate = spec["tax"]
            behavior = spec.get("behavior", "exclusive")
            if behavior == "exclusive":
                taxable = net
                tax = round(net * rate / 100)
                total += net + tax
            else:
                taxable = round(net / (1 + rate / 100))
                tax = net - taxable
                total += net
            taxes.append(
                {
                    "amount": tax,
                    "tax_behavior": behavior,
                    "tax_rate_details": {"tax_rate": f"txr_{rate:g}_{behavior}".replace(".", "_")},
                    "taxability_reason": "standard_rated",
                    "taxable_amount": taxable,
                    "type": "tax_rate_details",
                }
            )
            total_taxes.extend(taxes)
        else:
            total += net
        subtotal += amount
        total_discounts.extend(discounts)
        stripe_lines.append(
            {
                "id": f"il_{invoice_id}_{index}",
                "object": "line_item",
                "amount": amount,
                "currency": currency,
                "description": spec.get("description", f"Line {index + 1}"),
                "discount_amounts": discounts,
                "discountable": True,
                "discounts": [d["discount"] for d in discounts],
                "invoice": invoice_id,
                "livemode": False,
                "metadata": {},
                "quantity": spec.get("quantity", 1),
                "subtotal": amount,
                "taxes": taxes,
                "period": {"start": created, "end": created + 30 * 86400},
                "pricing": {
                    "type": "price_details",
                    "price_details": {"price": spec.get("price", "price_plan"), "product": "prod"},
                    "unit_amount_decimal": str(amount // spec.get("quantity", 1)),
                },
            }
        )
    tax_total = sum(t["amount"] for t in total_taxes)
    exclusive_tax = sum(t["amount"] for t in total_taxes if t["tax_behavior"] == "exclusive")
    return {
        "id": invoice_id,
        "object": "invoice",
        "number": f"INV-{invoice_id}",
        "currency": currency,
        "customer": customer,
        "created": created,
        "livemode": False,
        "status": "paid" if paid else "open",
        "subtotal": subtotal,
        "subtotal_excluding_tax": subtotal - (tax_total - exclusive_tax),
        "total": total,
        "total_excluding_tax": total - tax_total,
        "total_taxes": total_taxes,
        "total_discount_amounts": total_discounts,
        "amount_due": max(total, 0),
        "amount_paid": max(total, 0) if paid else 0,
        "amount_remaining": 0 if paid else max(total, 0),
        "status_transitions": {"paid_at": created if paid else None},
        "parent": (
            {
                "type": "subscription_details",
                "subscription_details": {"subscription": sub_id, "metadata": {}},
            }
            if sub_id
            else None
        ),
        "lines": {"object": "list", "data": stripe_lines, "has_more": False},
        "payments": {
            "object": "list",
            "has_more": False,
            "data": [
                {
                    "id": f"inpay_{invoice_id}",
                    "object": "invoice_payment",
                    "amount_paid": max(total, 0),
                    "amount_requested": max(total, 0),
                    "currency": currency,
                    "invoice": invoice_id,
                    "is_default": True,
                    "livemode": False,
                    "status": "paid",
                    "payment": {"type": "payment_intent", "payment_intent": f"pi_{invoice_id}"},
                }
            ]
            if paid and total > 0
            else [],
        },
    }


def sdk_fields(cls):
    names = set()
    for klass in cls.__mro__:
        names |= set(getattr(klass, "__annotations__", {}))
    return names


def check_sdk_shape(payload, cls=stripe.Invoice, path="invoice"):
    """The keys of ``payload`` that the SDK's resource class ``cls`` does not define."""
    unknown = [f"{path}.{key}" for key in payload if key not in sdk_fields(cls)]
    inner = getattr(cls, "_inner_class_types", {})
    for key, value in payload.items():
        sub = inner.get(key)
        if key == "lines" and cls is stripe.Invoice:
            for index, line in enumerate(value["data"]):
                unknown += check_sdk_shape(line, stripe.InvoiceLineItem, f"{path}.lines[{index}]")
        elif sub and isinstance(value, dict):
            unknown += check_sdk_shape(value, sub, f"{path}.{key}")
        elif sub and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    unknown += check_sdk_shape(item, sub, f"{path}.{key}[{index}]")
    return unknown


class PortalOutcomeMixin:
    """A licensing form answered as every portal form is (service_portal's outcome.py): a
    redirect to the page, which shows the outcome of the action once. The test class has
    ``_post(url, data)``, posting without following redirects."""

    def _post_and_follow(self, url, data, page):
        """Post ``data`` to ``url``: sent back to ``page`` (a path), returned as shown."""
        response = self._post(url, data)
        self.assertEqual(response.status_code, 303, f"{url} redirects")
        location = urlsplit(response.headers["Location"])
        self.assertEqual((location.path, location.query), (page, ""), "no outcome in the URL")
        shown = self.url_open(response.headers["Location"])
        self.assertEqual(shown.status_code, 200)
        return shown

    def assert_refused(self, url, data, page, message=None):
        """The action is refused: the page it leads to says why (the error alert), once."""
        shown = self._post_and_follow(url, data, page)
        self.assertIn('id="service_error"', shown.text)
        if message:
            self.assertIn(message, shown.text)
        return shown

    def assert_done(self, url, data, page, message):
        """The action is done: the page it leads to says so, and only the first time."""
        shown = self._post_and_follow(url, data, page)
        self.assertIn("o_service_outcome", shown.text)
        self.assertIn(message, shown.text)
        self.assertNotIn('id="service_error"', shown.text)
        again = self.url_open(page)
        self.assertNotIn(message, again.text, "said once")
        return shown


class LicensingCommon(ServicePortalCommon):
    """service_portal's shared test base, plus licensing without demo data: the plans
    (``plan_monthly``, ``plan_annual``, ``addon``; on a demo database the demo's plans are
    archived for the test, so that the portal sells these only), the owners of both customers
    (``manager_user`` for Winslow, ``parkway_user`` for Parkway), Winslow's active monthly
    subscription of 5 licences (``winslow_subscription``) and its licensed technician Terry
    (``terry``, licence ``terry_licence``), assigned to ``north_order``."""

    def _persona(self, user):
        """The login a tour starts with (start_tour logs in with the login as password)."""
        user.password = user.login
        return user.login

    @classmethod
    def _setup_plans(cls, env):
        if "plan_monthly" in cls.__dict__:  # set up already by this class
            return
        Template = env["product.template"]
        # set aside, not deleted (a committed set-up puts them back)
        cls.set_aside_plans = Template.search([("service_plan_kind", "!=", False)])
        cls.set_aside_plans.active = False
        plans = Template.create(
            [
                {
                    "name": "Technician licence, monthly",
                    "type": "service",
                    "service_plan_kind": "monthly",
                    "service_stripe_price_id": "price_test_technician_monthly",
                    "list_price": 49.0,
                },
                {
                    "name": "Technician licence, annual",
                    "type": "service",
                    "service_plan_kind": "annual",
                    "service_stripe_price_id": "price_test_technician_annual",
                    "list_price": 490.0,
                },
                {
                    "name": "Replacement service module",
                    "type": "service",
                    "service_plan_kind": "addon",
                    "service_stripe_price_id": "price_test_replacement_module",
                    "list_price": 15.0,
                },
            ]
        )
        cls.plan_monthly, cls.plan_annual, cls.addon = (plan.product_variant_id for plan in plans)

    @classmethod
    def _service_unlink_created(cls, env, name, records):
        if records._name == "product.product":
            templates = records.product_tmpl_id
            records.unlink()  # with their messages
            templates.exists().unlink()
            return None
        if records._name == "service.subscription":
            records.license_ids.unlink()
        return super()._service_unlink_created(env, name, records)

    @classmethod
    def _setup_licensing_base(cls):
        cls._setup_service_portal()
        env = cls.env
        cls._setup_plans(env)
        cls.manager_user.partner_id.service_admin_role = "owner"
        cls.parkway_user.partner_id.service_admin_role = "owner"
        today = fields.Date.context_today(cls.winslow)
        cls.winslow_subscription = env["service.subscription"].create(
            {
                "partner_id": cls.winslow.id,
                "product_id": cls.plan_monthly.id,
                "quantity": 5,
                "state": "active",
                "date_start": today - relativedelta(days=10),
                "date_end": today + relativedelta(days=20),
                "stripe_subscription_id": "sub_test_winslow_monthly",
                "stripe_customer_id": "cus_test_winslow",
            }
        )
        cls.terry = cls._service_portal_user(
            "Terry Tech",
            "terry@winslow-holdings.example",
            cls.winslow,
            service_technician_account=True,
        )
        cls.terry_licence = env["service.license"].create(
            {
                "subscription_id": cls.winslow_subscription.id,
                "user_id": cls.terry.id,
                "name": "Terry Tech",
                "email": cls.terry.email,
                "device_type": "android",
            }
        )
        cls.north_order.technician_ids = [Command.link(cls.terry.id)]


class LicensingSetupMixin(LicensingCommon):
    """Two customers, their admins, a plain contact, and an active monthly subscription."""

    @classmethod
    def _setup_licensing(cls, env):
        Partner = env["res.partner"]
        cls.customer = Partner.create({"name": "Acme Repairs", "is_company": True})
        cls.other_customer = Partner.create({"name": "Globex Services", "is_company": True})
        cls.owner = cls._service_portal_user("Olive Owner", "olive@acme.example", cls.customer)
        cls.owner.partner_id.service_admin_role = "owner"
        cls.secondary = cls._service_portal_user("Sam Second", "sam@acme.example", cls.customer)
        cls.secondary.partner_id.service_admin_role = "secondary"
        cls.contact = cls._service_portal_user("Carl Contact", "carl@acme.example", cls.customer)
        cls.other_owner = cls._service_portal_user(
            "Gina Globex", "gina@globex.example", cls.other_customer
        )
        cls.other_owner.partner_id.service_admin_role = "owner"
        # a staff login with an address (the demo gives the administrator one; a database
        # installed without demo leaves it empty)
        admin = env.ref("base.user_admin")
        admin.email = admin.email or "admin@service-staff.example"
        cls._setup_plans(env)
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

    def _receive_new_event(self, prefix, event_type, obj, created):
        """Receive ``obj`` as the webhook does, in an event of ``event_type`` whose id is
        new in the test class (``prefix`` and a count)."""
        type(self).events_sent = getattr(type(self), "events_sent", 0) + 1
        event = stripe_event(f"{prefix}_{self.events_sent}", event_type, obj, created)
        return self.env["service.stripe.event"]._receive(event)

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
        # payment_stripe's own endpoint has another secret than the licensing one.
        provider.stripe_webhook_secret = PAYMENT_WEBHOOK_SECRET
        params.set_param("service_licensing.webhook_secrets", WEBHOOK_SECRET)
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
        # Stripe knows the prices of the plans and add-ons, and no other.
        self.stripe.prices = set(
            self.env["product.product"]
            .search([("service_stripe_price_id", "!=", False)])
            .mapped("service_stripe_price_id")
        )


class ChangeRequestSetupMixin(LicensingSetupMixin):
    """A subscription of 5 licences, 2 of them allocated, whose admins ask to cancel it or
    keep fewer (test_change_request.py here and in service_licensing_helpdesk)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.subscription.quantity = 5
        for index in range(2):
            cls.subscription._allocate_license(
                {"name": f"Tech {index}", "email": f"tech{index}@acme.example"}
            )

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _url(self, subscription=None):
        return f"/my/purchases/{(subscription or self.subscription).id}/change"
