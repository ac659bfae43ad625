"""A small fake of the Stripe API, served on 127.0.0.1 for the tests.

The code under test calls it through the real `stripe` SDK (the system parameter
``service_licensing.stripe_api_base`` points the SDK at it). It answers the endpoints the
addon calls with Stripe-shaped JSON, records every request it receives, and can be told to
fail (HTTP 500) or to hang (timeout).

It also plays Stripe's hosted Checkout: a session's ``url`` is a page of the fake itself,
``/checkout/<session id>``, with a *Pay* link that marks the session paid and sends the
browser back to the session's ``success_url``, as Stripe does after a payment. A browser tour
cannot act on that page (tour code runs on Odoo's own pages only: its state lives in the
localStorage of Odoo's origin, and the fake listens on another port), so with ``auto_pay``
the page follows its *Pay* link by itself, playing the customer who pays.
"""

import html
import json
import re
import sys
import threading
import time
import types
import typing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import typing_extensions
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from stripe.params import (
    BalanceTransactionListParams,
    CustomerCreateParams,
    CustomerSearchParams,
    PayoutRetrieveParams,
    SubscriptionRetrieveParams,
)
from stripe.params.billing_portal import SessionCreateParams as PortalSessionCreateParams
from stripe.params.checkout import SessionCreateParams as CheckoutSessionCreateParams

# The SDK's typed parameters of each endpoint the fake serves: what Stripe accepts there.
ENDPOINT_PARAMS = {
    ("POST", "/v1/customers"): CustomerCreateParams,
    ("GET", "/v1/customers/search"): CustomerSearchParams,
    ("POST", "/v1/checkout/sessions"): CheckoutSessionCreateParams,
    ("POST", "/v1/billing_portal/sessions"): PortalSessionCreateParams,
    ("GET", "/v1/subscriptions/"): SubscriptionRetrieveParams,
    ("GET", "/v1/balance_transactions"): BalanceTransactionListParams,
    ("GET", "/v1/payouts/"): PayoutRetrieveParams,
}
# Endpoints ending with an object's id: checked as their prefix.
ID_ENDPOINTS = ("/v1/subscriptions/", "/v1/payouts/")
# The request options of the SDK are not parameters Stripe accepts.
REQUEST_OPTIONS = set(RequestOptions.__annotations__)


def _nest(pairs):
    """Stripe's form encoding (``a[b][0][c]=v``) back to nested dicts and lists."""
    root = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


class ParamError(Exception):
    def __init__(self, message, param, code):
        super().__init__(message)
        self.param, self.code = param, code


def _resolve(annotation, namespace):
    """A forward reference of the SDK's annotations, evaluated in its module."""

    def holder():
        return None

    holder.__annotations__ = {"value": annotation}
    return typing_extensions.get_type_hints(holder, globalns=namespace, include_extras=True)[
        "value"
    ]


def _check(value, annotation, path, namespace):
    """Raise ParamError unless the form-encoded ``value`` fits the SDK's ``annotation``
    (``namespace``: the globals of the module that defines it, for its forward references)."""
    if isinstance(annotation, (str, typing.ForwardRef)):
        annotation = _resolve(annotation, namespace)
    origin = typing_extensions.get_origin(annotation)
    args = typing_extensions.get_args(annotation)
    if origin in (typing_extensions.NotRequired, typing_extensions.Required):
        return _check(value, args[0], path, namespace)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in args:
            try:
                return _check(value, option, path, namespace)
            except ParamError as error:
                errors.append(error)
        # The most telling refusal: an unknown key inside an object beats a type mismatch.
        unknown = [error for error in errors if error.code == "parameter_unknown"]
        raise (unknown or errors)[0]
    if origin is typing_extensions.Literal or origin is typing.Literal:
        if value not in [str(arg) for arg in args]:
            raise ParamError(
                f"Invalid {path}: must be one of {', '.join(map(str, args))}",
                path,
                "parameter_invalid_string",
            )
        return None
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            raise ParamError(f"Invalid array: {path}", path, "parameter_invalid_array")
        for index, item in enumerate(value):
            _check(item, args[0], f"{path}[{index}]", namespace)
        return None
    if origin in (dict, typing.Dict) or (  # noqa: UP006
        isinstance(origin, type) and issubclass(origin, UntypedStripeObject)
    ):
        if not isinstance(value, dict):
            raise ParamError(f"Invalid object: {path}", path, "parameter_invalid_object")
        return None
    if typing_extensions.is_typeddict(annotation):
        if not isinstance(value, dict):
            raise ParamError(f"Invalid object: {path}", path, "parameter_invalid_object")
        return _check_object(value, annotation, path)
    if annotation is str:
        if not isinstance(value, str):
            raise ParamError(f"Invalid string: {path}", path, "parameter_invalid_string")
        return None
    if annotation is bool:
        if value not in ("true", "false"):
            raise ParamError(f"Invalid boolean: {value}", path, "parameter_invalid_boolean")
        return None
    if annotation is int:
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
            raise ParamError(f"Invalid integer: {value}", path, "parameter_invalid_integer")
        return None
    if annotation is float:
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise ParamError(f"Invalid decimal: {value}", path, "parameter_invalid_decimal")
        return None
    return None  # anything the SDK types more loosely


def _check_object(params, cls, path=""):
    namespace = vars(sys.modules[cls.__module__])
    hints = {
        key: annotation
        for key, annotation in cls.__annotations__.items()
        if key not in REQUEST_OPTIONS
    }
    for key, value in params.items():
        name = f"{path}[{key}]" if path else key
        if key not in hints:
            raise ParamError(f"Received unknown parameter: {name}", name, "parameter_unknown")
        _check(value, hints[key], name, namespace)
    for key in getattr(cls, "__required_keys__", ()):
        if key in hints and key not in params:
            name = f"{path}[{key}]" if path else key
            raise ParamError(f"Missing required param: {name}.", name, "parameter_missing")
    return None


class StripeFake:
    def __init__(self):
        self.requests = []
        self.customers = {}
        # The price ids Stripe knows; None: any (a test that does not care).
        self.prices = None
        self.idempotent = {}  # key -> (method, path, params, status, payload)
        # False: like a live account whose billing portal was never configured.
        self.portal_configured = True
        self.subscriptions = {}
        self.sessions = {}
        # The balance: its transactions (oldest first), the objects they come from (what
        # `expand[]=data.source` shows), the payouts, and which payout paid out each one.
        self.balance_transactions = []
        self.sources = {}
        self.payouts = {}
        self.paid_out = {}  # balance transaction id -> payout id
        self.page_visits = []
        self.auto_pay = False
        self.mode = "ok"  # "ok", "error" (500) or "hang"
        self.hang_seconds = 5
        self._counter = 0
        # What the ids it makes contain after their prefix: a script that runs the fake
        # again against the same database sets one of its own (Stripe's ids never repeat).
        self.id_tag = "fake"
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        self.requests.clear()
        self.customers.clear()
        self.idempotent.clear()
        self.portal_configured = True
        self.subscriptions.clear()
        self.sessions.clear()
        self.balance_transactions.clear()
        self.sources.clear()
        self.payouts.clear()
        self.paid_out.clear()
        self.page_visits.clear()
        self.auto_pay = False
        self.mode = "ok"

    def _next_id(self, prefix):
        with self._lock:
            self._counter += 1
            return f"{prefix}_{self.id_tag}{self._counter:04d}"

    def add_subscription(self, sub_id, *, customer, price, quantity, status="active", **extra):
        now = int(time.time())
        self.subscriptions[sub_id] = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "start_date": now,
            "metadata": extra.pop("metadata", {}),
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": f"si_{sub_id}",
                        "object": "subscription_item",
                        "quantity": quantity,
                        "current_period_end": now + 30 * 86400,
                        "price": {"id": price, "object": "price"},
                    }
                ],
            },
            **extra,
        }
        return self.subscriptions[sub_id]

    # ------------------------------------------------------------------
    # The balance (shapes of the SDK's BalanceTransaction, Charge, Refund, Payout)
    # ------------------------------------------------------------------

    def add_balance_transaction(
        self, tx_type, amount, *, fee=0, source=None, category=None, currency="usd", **extra
    ):
        """A transaction of the balance, not paid out yet: ``amount`` and ``fee`` in minor
        units (the net is what it adds to the balance)."""
        now = int(time.time())
        tx = {
            "id": self._next_id("txn"),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": now,
            "balance_type": "payments",
            "created": now,
            "currency": currency,
            "description": extra.pop("description", None),
            "exchange_rate": None,
            "fee": fee,
            "fee_details": [
                {
                    "amount": fee,
                    "application": None,
                    "currency": currency,
                    "description": "Stripe processing fees",
                    "type": "stripe_fee",
                }
            ]
            if fee
            else [],
            "net": amount - fee,
            "reporting_category": category or tx_type,
            "source": source,
            "status": "available",
            "type": tx_type,
            **extra,
        }
        self.balance_transactions.append(tx)
        return tx

    def add_charge(self, amount, *, payment_intent, fee=0, currency="usd", customer=None):
        """A card payment of ``amount``: its charge and balance transaction."""
        charge_id = self._next_id("ch")
        tx = self.add_balance_transaction(
            "charge", amount, fee=fee, source=charge_id, category="charge", currency=currency
        )
        self.sources[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": 0,
            "balance_transaction": tx["id"],
            "captured": True,
            "created": tx["created"],
            "currency": currency,
            "customer": customer,
            "livemode": False,
            "paid": True,
            "payment_intent": payment_intent,
            "refunded": False,
            "status": "succeeded",
        }
        return self.sources[charge_id]

    def add_refund(self, charge_id, amount):
        """A refund of part or all of a charge, out of the balance."""
        charge = self.sources[charge_id]
        refund_id = self._next_id("re")
        tx = self.add_balance_transaction(
            "refund", -amount, source=refund_id, category="refund", currency=charge["currency"]
        )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self.sources[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "balance_transaction": tx["id"],
            "charge": charge_id,
            "created": tx["created"],
            "currency": charge["currency"],
            "payment_intent": charge["payment_intent"],
            "status": "succeeded",
        }
        return self.sources[refund_id]

    def add_dispute(self, dispute, fee=1500):
        """A dispute's withdrawal (with Stripe's dispute fee), and its reinstatement if won."""
        self.sources[dispute["id"]] = dispute
        self.add_balance_transaction(
            "adjustment",
            -dispute["amount"],
            fee=fee,
            source=dispute["id"],
            category="dispute",
            currency=dispute["currency"],
            description=f"Chargeback withdrawal for {dispute['charge']}",
        )
        if dispute.get("status") == "won":
            self.add_balance_transaction(
                "adjustment",
                dispute["amount"],
                source=dispute["id"],
                category="dispute_reversal",
                currency=dispute["currency"],
                description=f"Chargeback reversal for {dispute['charge']}",
            )

    def add_payout(self, currency="usd", statement_descriptor=None):
        """An automatic payout of every transaction not paid out yet (Stripe's payout's own
        transaction included, as its balance transaction list shows it)."""
        pending = [
            tx
            for tx in self.balance_transactions
            if tx["id"] not in self.paid_out and tx["currency"] == currency
        ]
        payout_id = self._next_id("po")
        amount = sum(tx["net"] for tx in pending)
        own = self.add_balance_transaction(
            "payout", -amount, source=payout_id, category="payout", currency=currency
        )
        now = int(time.time())
        self.payouts[payout_id] = {
            "id": payout_id,
            "object": "payout",
            "amount": amount,
            "arrival_date": now + 2 * 86400,
            "automatic": True,
            "balance_transaction": own["id"],
            "created": now,
            "currency": currency,
            "description": "STRIPE PAYOUT",
            "destination": "ba_fake_bank",
            "failure_balance_transaction": None,
            "failure_code": None,
            "failure_message": None,
            "livemode": False,
            "metadata": {},
            "method": "standard",
            "reconciliation_status": "completed",
            "source_type": "card",
            "statement_descriptor": statement_descriptor,
            "status": "paid",
            "type": "bank_account",
        }
        self.sources[payout_id] = self.payouts[payout_id]
        for tx in [*pending, own]:
            self.paid_out[tx["id"]] = payout_id
        return self.payouts[payout_id]

    def fail_payout(self, payout_id):
        """The bank refused the payout: Stripe puts its amount back in the balance."""
        payout = self.payouts[payout_id]
        back = self.add_balance_transaction(
            "payout_failure",
            payout["amount"],
            source=payout_id,
            category="payout_reversal",
            currency=payout["currency"],
        )
        payout.update(
            {
                "status": "failed",
                "failure_balance_transaction": back["id"],
                "failure_code": "account_closed",
                "failure_message": "The bank account has been closed.",
            }
        )
        return payout

    def balance(self, currency="usd"):
        """Stripe's balance: the sum of its balance transactions' net amounts (minor units)."""
        return sum(tx["net"] for tx in self.balance_transactions if tx["currency"] == currency)

    def _list_balance_transactions(self, params):
        payout = params.get("payout")
        if payout is not None and payout not in self.payouts:
            return 404, self._error(f"No such payout: '{payout}'", "payout", "resource_missing")
        limit = int(params.get("limit") or 10)
        if not 1 <= limit <= 100:
            return 400, self._error(
                "Invalid integer: limit must be between 1 and 100", "limit", "parameter_invalid"
            )
        found = [
            tx
            for tx in reversed(self.balance_transactions)  # newest first, as Stripe lists
            if payout is None or self.paid_out.get(tx["id"]) == payout
        ]
        if params.get("type"):
            found = [tx for tx in found if tx["type"] == params["type"]]
        after = params.get("starting_after")
        if after:
            ids = [tx["id"] for tx in found]
            if after not in ids:
                return 400, self._error(
                    f"No such balance transaction: '{after}'", "starting_after", "resource_missing"
                )
            found = found[ids.index(after) + 1 :]
        expand = params.get("expand") or []
        page = []
        for tx in found[:limit]:
            shown = dict(tx)
            if "data.source" in expand and tx["source"] in self.sources:
                shown["source"] = self.sources[tx["source"]]
            page.append(shown)
        return 200, {
            "object": "list",
            "url": "/v1/balance_transactions",
            "has_more": len(found) > limit,
            "data": page,
        }

    # ------------------------------------------------------------------

    def _handle(self, handler, method):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        url = urlsplit(handler.path)
        path = url.path
        if not path.startswith("/v1/"):
            # A browser on the hosted pages, not an API call.
            self.page_visits.append(path)
            return self._checkout_page(handler, method, path)
        pairs = parse_qsl(body if method == "POST" else url.query, keep_blank_values=True)
        request = {
            "method": method,
            "path": path,
            "params": dict(pairs),
            "idempotency_key": handler.headers.get("Idempotency-Key"),
            "authorization": handler.headers.get("Authorization"),
        }
        self.requests.append(request)
        if self.mode == "hang":
            time.sleep(self.hang_seconds)
            return self._send(handler, 500, {"error": {"message": "too late"}})
        if self.mode == "error":
            return self._send(
                handler, 500, {"error": {"type": "api_error", "message": "Stripe fell over"}}
            )
        key = request["idempotency_key"]
        if key and key in self.idempotent:
            first = self.idempotent[key]
            if first[:3] != (method, path, request["params"]):
                # Stripe: the same key with other parameters is refused, not replayed.
                return self._send(
                    handler,
                    400,
                    {
                        "error": {
                            "type": "idempotency_error",
                            "message": "Keys for idempotent requests can only be used with the "
                            "same parameters they were first used with. Try using a key other "
                            f"than '{key}' if you meant to execute a different request.",
                        }
                    },
                )
            return self._send(handler, first[3], first[4], replayed=True)
        try:
            self._check_params(method, path, _nest(pairs))
            status, payload = self._route(method, path, request["params"])
        except ParamError as error:
            status, payload = 400, self._error(str(error), error.param, error.code)
        if key and method == "POST":
            self.idempotent[key] = (method, path, request["params"], status, payload)
        return self._send(handler, status, payload)

    @staticmethod
    def _error(message, param=None, code=None):
        error = {"type": "invalid_request_error", "message": message}
        if param:
            error["param"] = param
        if code:
            error["code"] = code
        error["request_log_url"] = "https://dashboard.stripe.com/test/logs/req_fake"
        return {"error": error}

    def _check_params(self, method, path, params):
        """Refuse, as Stripe does, what the SDK's typed parameters of the endpoint exclude,
        and prices Stripe does not know."""
        endpoint = (method, path)
        for prefix in ID_ENDPOINTS:
            if method == "GET" and path.startswith(prefix):
                endpoint = (method, prefix)
        cls = ENDPOINT_PARAMS.get(endpoint)
        if cls:
            _check_object(params, cls)
        for index, item in enumerate(params.get("line_items") or []):
            price = item.get("price") if isinstance(item, dict) else None
            if price and self.prices is not None and price not in self.prices:
                raise ParamError(
                    f"No such price: '{price}'", f"line_items[{index}][price]", "resource_missing"
                )

    def _route(self, method, path, params):
        if method == "POST" and path == "/v1/customers":
            customer_id = self._next_id("cus")
            self.customers[customer_id] = {
                "id": customer_id,
                "object": "customer",
                "name": params.get("name"),
                "email": params.get("email"),
                "metadata": {
                    key[len("metadata[") : -1]: value
                    for key, value in params.items()
                    if key.startswith("metadata[")
                },
            }
            return 200, self.customers[customer_id]
        if method == "GET" and path == "/v1/customers/search":
            # The one query the addon makes: metadata['key']:'value'.
            match = re.fullmatch(r"metadata\['(\w+)'\]:'([^']*)'", params.get("query", ""))
            if not match:
                return 400, self._error("Invalid search query", "query", "parameter_invalid")
            found = [
                customer
                for customer in self.customers.values()
                if customer["metadata"].get(match[1]) == match[2]
            ]
            return 200, {
                "object": "search_result",
                "url": "/v1/customers/search",
                "has_more": False,
                "data": found[: int(params.get("limit") or 10)],
            }
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = self._next_id("cs_test")
            self.sessions[session_id] = {
                "id": session_id,
                "object": "checkout.session",
                "mode": params.get("mode"),
                "status": "open",
                "customer": params.get("customer"),
                "client_reference_id": params.get("client_reference_id"),
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
                "params": params,
                "url": f"{self.url}/checkout/{session_id}",
            }
            return 200, {
                key: value for key, value in self.sessions[session_id].items() if key != "params"
            }
        if (
            method == "POST"
            and path == "/v1/billing_portal/sessions"
            and not self.portal_configured
        ):
            return 400, self._error(
                "No configuration provided and your live mode default configuration has not "
                "been created. Provide a configuration or create your default by saving your "
                "customer portal settings in live mode at "
                "https://dashboard.stripe.com/settings/billing/portal."
            )
        if method == "POST" and path == "/v1/billing_portal/sessions":
            session_id = self._next_id("bps")
            return 200, {
                "id": session_id,
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.test/p/session/{session_id}",
            }
        if method == "GET" and path == "/v1/balance_transactions":
            return self._list_balance_transactions(_nest(params.items()))
        if method == "GET" and path.startswith("/v1/payouts/"):
            payout_id = path.rsplit("/", 1)[1]
            if payout_id in self.payouts:
                return 200, self.payouts[payout_id]
            return 404, self._error(f"No such payout: '{payout_id}'", "id", "resource_missing")
        if method == "GET" and path.startswith("/v1/subscriptions/"):
            sub_id = path.rsplit("/", 1)[1]
            if sub_id in self.subscriptions:
                return 200, self.subscriptions[sub_id]
            return 404, self._error(f"No such subscription: '{sub_id}'", "id", "resource_missing")
        return 404, self._error(f"Unrecognized request URL ({method}: {path}).")

    def _checkout_page(self, handler, method, path):
        """The hosted Checkout page of a session, and its Pay link."""
        parts = path.strip("/").split("/")
        session = (
            self.sessions.get(parts[1]) if len(parts) >= 2 and parts[0] == "checkout" else None
        )
        if not session or method != "GET":
            return self._send_html(handler, 404, "<h1>No such checkout session</h1>")
        if parts[2:] == ["pay"]:
            session["status"] = "complete"
            handler.send_response(303)
            handler.send_header("Location", session["success_url"])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return None
        if parts[2:]:
            return self._send_html(handler, 404, "<h1>Not found</h1>")
        params = session["params"]
        script = "<script>document.getElementById('pay').click();</script>" if self.auto_pay else ""
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Checkout</title></head>"
            "<body><h1>Stripe Checkout (test fake)</h1>"
            f"<p>{html.escape(params.get('line_items[0][quantity]', '1'))} x "
            f"{html.escape(params.get('line_items[0][price]', ''))}</p>"
            f"<a id='pay' href='/checkout/{html.escape(session['id'])}/pay'>Pay</a> "
            f"<a id='cancel' href='{html.escape(session['cancel_url'] or '')}'>Back</a>"
            f"{script}</body></html>"
        )
        return self._send_html(handler, 200, page)

    def _send_html(self, handler, status, page):
        body = page.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _send(self, handler, status, payload, replayed=False):
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        if replayed:
            handler.send_header("Idempotent-Replayed", "true")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Request-Id", "req_fake")
        handler.end_headers()
        handler.wfile.write(body)
