"""Hostile requests for every portal and public page of the three service addons.

Shared by the test (tests/test_fuzz.py, a few hundred requests with a fixed seed) and the
benchmark (bench/fuzz.py, tens of thousands): the routes come from Odoo's routing map
(``ir.http.routing_map()``), so a new route is fuzzed as soon as it exists; the form fields
of routes that take ``**kw`` come from the addons' own QWeb templates.

A case is one request: a route, a method, and the values of its path arguments, query or
form parameters, one of them (or a few) hostile. ``send_case`` sends it with a
``requests.Session`` and ``classify`` tells a server error from a clear refusal.
"""

import inspect
import json
import random
import re
import threading
from dataclasses import dataclass, field

from lxml import etree

from odoo.addons.service_portal.controllers import inputs

SERVICE_MODULES = inputs.SERVICE_MODULES
# The routes another branch validates (the Stripe webhook reads a signed raw body).
SKIPPED_ROUTES = ("/service/stripe/webhook",)

LONG = "x" * 100_000
HOSTILE_TEXTS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x07\x7f\x85",
    "\u202etxt.exe",
    LONG,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7 * 7 }}${7*7}%s%n",
    "' OR 1=1 --",
    "../../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "1e309",
    "NaN",
    "9999-12-31T23:59",
    "9999-12-31",
    "0000-00-00T00:00",
    "2026-02-30T25:61",
    "not base64 !",
    "aGVsbG8=",
    "data:image/png;base64,////",
    "[]",
    "{}",
)
HOSTILE_INTS = (0, 99999999999999999999, 2**31, 2**31 - 1)
# Values a JSON-RPC route may receive instead of a string.
HOSTILE_JSON = (None, True, -1, 1.5, ["a", "b"], {"a": 1}, [[[[[]]]]], "x" * 100_000)


@dataclass
class Route:
    url: str  # werkzeug rule, e.g. /my/requests/<int:ticket_id>/rate
    kind: str  # http or jsonrpc
    auth: str
    methods: tuple
    arguments: dict  # path argument -> converter name
    params: tuple  # named parameters of the endpoint (query or form)
    takes_any: bool  # the endpoint takes **kw: any form field of the templates


@dataclass
class Case:
    route: Route
    method: str
    path: str
    params: dict = field(default_factory=dict)  # name -> value or list of values
    hostile: str = ""  # what is hostile, for the report


def service_routes(env):
    """The routes of the three addons (and Odoo's routes they override), from the routing
    map Odoo serves."""
    routes = []
    thread = threading.current_thread()
    # ir.http builds the map of the database of the current thread (as a request would).
    previous = getattr(thread, "dbname", None)
    thread.dbname = env.cr.dbname
    try:
        routing_map = env["ir.http"].routing_map()
    finally:
        if previous is None:
            del thread.dbname
        else:
            thread.dbname = previous
    for rule in routing_map.iter_rules():
        endpoint = rule.endpoint
        if rule.rule in SKIPPED_ROUTES or not inputs.is_service_endpoint(endpoint):
            continue
        signature = inspect.signature(endpoint.func)
        named = tuple(
            name
            for name, parameter in signature.parameters.items()
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
            and name not in rule.arguments
        )
        takes_any = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
        converters = {
            name: type(converter).__name__.replace("Converter", "").lower()
            for name, converter in rule._converters.items()
        }
        methods = tuple(
            sorted(m for m in (rule.methods or {"GET", "POST"}) if m in ("GET", "POST"))
        )
        routes.append(
            Route(
                url=rule.rule,
                kind=endpoint.routing["type"],
                auth=endpoint.routing["auth"],
                methods=methods,
                arguments=converters,
                params=named,
                takes_any=takes_any,
            )
        )
    return sorted(routes, key=lambda route: (route.url, route.kind))


def template_field_names(env):
    """The names of the inputs, selects and textareas of the addons' QWeb templates."""
    data = (
        env["ir.model.data"]
        .sudo()
        .search([("model", "=", "ir.ui.view"), ("module", "in", SERVICE_MODULES)])
    )
    names = set()
    for view in env["ir.ui.view"].sudo().browse(data.mapped("res_id")).exists():
        if view.type != "qweb":
            continue
        for node in etree.fromstring(view.arch_db or "<t/>").iter("input", "select", "textarea"):
            name = node.get("name")
            if name and re.fullmatch(r"[a-z_][a-z0-9_]*", name) and name != "csrf_token":
                names.add(name)
    return sorted(names)


def record_ids(env):
    """Ids of records of every model of the addons, of every customer: the ids another
    persona may try."""
    ids = set()
    for name, model_cls in env.registry.items():
        if model_cls._original_module in SERVICE_MODULES and not model_cls._abstract:
            if model_cls._transient:
                continue
            ids.update(env[name].sudo().with_context(active_test=False).search([], limit=50).ids)
    return sorted(ids)


def _path(route, values):
    def replace(match):
        name = match.group(2)
        return str(values[name])

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", replace, route.url)


def _sane_path_values(route, ids, rng):
    values = {}
    for name, converter in route.arguments.items():
        if converter == "int":
            values[name] = 1 if name == "page" else rng.choice(ids or [1])
        else:
            values[name] = "fuzz"
    return values


def _hostile_value(route, rng):
    if route.kind == "jsonrpc" and rng.random() < 0.5:
        return rng.choice(HOSTILE_JSON)
    if route.kind == "http" and rng.random() < 0.15:
        return [rng.choice(HOSTILE_TEXTS), "1"]  # the parameter repeated
    return rng.choice(HOSTILE_TEXTS)


def generate_cases(routes, field_names, ids, rng, per_route):
    """``per_route`` cases of every route and method. In each, every parameter the route
    reads is hostile (seven times in ten; sane otherwise: an id, a word), and so is each
    path argument, three times in ten (more often, and the route answers 404 before it
    reads its parameters); routes that take any form field get three of the templates'."""
    cases = []
    for route in routes:
        for route_method in route.methods if route.kind == "http" else ("POST",):
            for _i in range(per_route):
                method = route_method
                values = _sane_path_values(route, ids, rng)
                hostile = []
                for name, converter in route.arguments.items():
                    if rng.random() < 0.3:
                        hostile.append(name)
                        if converter == "int":
                            values[name] = rng.choice((*HOSTILE_INTS, *(ids or [1])))
                        else:
                            text = rng.choice(HOSTILE_TEXTS[1:6])
                            values[name] = re.sub(r"[/?#%\x00-\x20]", "-", text) or "-"
                names = list(route.params)
                if route.takes_any:
                    extra = [name for name in field_names if name not in names]
                    names += rng.sample(extra, min(len(extra), 3))
                params = {}
                for name in names:
                    if rng.random() < 0.7:
                        hostile.append(name)
                        params[name] = _hostile_value(route, rng)
                    else:
                        params[name] = rng.choice(("1", "a", str(rng.choice(ids or [1]))))
                if method == "GET" and any(len(str(value)) > 20_000 for value in params.values()):
                    if "POST" in route.methods:
                        method = "POST"  # a URL of 100,000 characters: sent as a form
                    else:
                        params = {
                            k: v if len(str(v)) < 20_000 else LONG[:8000] for k, v in params.items()
                        }
                path = _path(route, values)
                cases.append(Case(route, method, path, params, ", ".join(hostile)))
    return cases


def send_case(session, base_url, case, csrf_token, timeout=60):
    """Send ``case`` with ``session``; return the response."""
    url = base_url + case.path
    if case.route.kind == "jsonrpc":
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": case.params}
        return session.post(
            url,
            data=json.dumps(payload),
            timeout=timeout,
            headers={"Content-Type": "application/json"},
            allow_redirects=False,
        )
    params = [
        (name, item)
        for name, value in case.params.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    if case.method == "GET":
        return session.get(url, params=params, timeout=timeout, allow_redirects=False)
    return session.post(
        url, data=[*params, ("csrf_token", csrf_token)], timeout=timeout, allow_redirects=False
    )


# What a clear refusal of a JSON-RPC call may be.
REFUSALS = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.AccessDenied",
    "odoo.http.SessionExpiredException",
    "werkzeug.exceptions.BadRequest",
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
    "werkzeug.exceptions.UnprocessableEntity",
)


def classify(case, response):
    """'error' (a server error), 'refused' (a clear refusal: 4xx, or a JSON-RPC error or
    error message) or 'ok'."""
    if response.status_code >= 500:
        return "error"
    if case.route.kind == "jsonrpc":
        try:
            body = response.json()
        except ValueError:
            return "refused" if response.status_code >= 400 else "error"
        if "error" in body:
            name = (body["error"].get("data") or {}).get("name", "")
            return "refused" if name in REFUSALS else "error"
        result = body.get("result")
        if isinstance(result, dict) and result.get("error"):
            return "refused"
        return "ok"
    return "refused" if response.status_code >= 400 else "ok"


def fingerprint_sql(env):
    """SQL returning one text that changes when any row of the addons' tables (or their
    messages and ratings) is created, changed or deleted."""
    tables = sorted(
        {
            env[name]._table
            for name, model_cls in env.registry.items()
            if model_cls._original_module in SERVICE_MODULES
            and not model_cls._abstract
            and not model_cls._transient
            and model_cls._auto
        }
        | {"mail_message", "rating_rating", "res_partner"}
    )
    parts = [
        f"(SELECT count(*) || ':' || coalesce(sum(hashtext(xmin::text || ctid::text)), 0)"
        f" FROM {table})"
        for table in tables
    ]
    return "SELECT " + " || '|' || ".join(parts)


def make_rng(seed):
    return random.Random(seed)
