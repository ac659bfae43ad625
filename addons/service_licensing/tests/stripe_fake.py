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
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class StripeFake:
    def __init__(self):
        self.requests = []
        self.subscriptions = {}
        self.sessions = {}
        self.page_visits = []
        self.auto_pay = False
        self.mode = "ok"  # "ok", "error" (500) or "hang"
        self.hang_seconds = 5
        self._counter = 0
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
        self.subscriptions.clear()
        self.sessions.clear()
        self.page_visits.clear()
        self.auto_pay = False
        self.mode = "ok"

    def _next_id(self, prefix):
        with self._lock:
            self._counter += 1
            return f"{prefix}_fake{self._counter:04d}"

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

    def _handle(self, handler, method):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        path = handler.path.split("?", 1)[0]
        if not path.startswith("/v1/"):
            # A browser on the hosted pages, not an API call.
            self.page_visits.append(path)
            return self._checkout_page(handler, method, path)
        request = {
            "method": method,
            "path": path,
            "params": dict(parse_qsl(body)),
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
        status, payload = self._route(method, path, request["params"])
        return self._send(handler, status, payload)

    def _route(self, method, path, params):
        if method == "POST" and path == "/v1/customers":
            return 200, {"id": self._next_id("cus"), "object": "customer", **params}
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
        if method == "POST" and path == "/v1/billing_portal/sessions":
            session_id = self._next_id("bps")
            return 200, {
                "id": session_id,
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.test/p/session/{session_id}",
            }
        if method == "GET" and path.startswith("/v1/subscriptions/"):
            sub_id = path.rsplit("/", 1)[1]
            if sub_id in self.subscriptions:
                return 200, self.subscriptions[sub_id]
            return 404, {
                "error": {
                    "type": "invalid_request_error",
                    "message": f"No such subscription: '{sub_id}'",
                }
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "Unrecognized URL"}}

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

    def _send(self, handler, status, payload):
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Request-Id", "req_fake")
        handler.end_headers()
        handler.wfile.write(body)
