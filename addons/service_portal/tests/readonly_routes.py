"""Read-only routes, checked against the routing map.

A route declared ``readonly=True`` runs on a read-only cursor: on a PostgreSQL streaming
replica when Odoo has ``db_replica_host``, on a read-only connection with
``--dev=replica``, and on a read-only test cursor in an HttpCase (``SET TRANSACTION READ
ONLY``). A write there fails with ReadOnlySqlTransaction; Odoo then logs "retrying with a
read/write cursor" and serves the request again on the primary, so the page still works
but the replica does not take the load. The mixin below fails on that log line.
"""

import logging
import re
import threading
import traceback
from contextlib import contextmanager
from unittest.mock import patch

RETRY_MESSAGE = "retrying with a read/write cursor"
ARGUMENT = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


class _WriteCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.writes = []

    def emit(self, record):
        if RETRY_MESSAGE in record.getMessage():
            # the statement and where it came from, for the failure message
            where = "".join(traceback.format_exception(*record.exc_info)[-12:])
            self.writes.append(f"{record.getMessage()}\n{where}")


class ReadonlyRoutesMixin:
    """For one addon: every route that answers GET is either read-only or listed, with
    its reason, in ``READ_WRITE_ROUTES``; every read-only route is visited (``_visits``)
    and writes nothing."""

    ADDON = None
    # route rule -> why it writes (its GET is an action or shares its route with a POST)
    READ_WRITE_ROUTES = {}

    def _visits(self):
        """Route rule -> list of (login, password, url arguments, JSON-RPC params or None)."""
        raise NotImplementedError

    def _addon_rules(self):
        """The werkzeug rules of the addon's endpoints (a path may have one per method)."""
        # routing_map() finds its registry by the thread's database, as a request does
        thread = threading.current_thread()
        with patch.object(thread, "dbname", self.env.cr.dbname, create=True):
            routing_map = self.env["ir.http"].routing_map()
        return [
            rule
            for rule in routing_map.iter_rules()
            if rule.endpoint.func.__module__.split(".")[2:3] == [self.ADDON]
        ]

    @contextmanager
    def _assert_no_write(self, what):
        collector = _WriteCollector()
        http_logger = logging.getLogger("odoo.http")
        http_logger.addHandler(collector)
        try:
            yield
        finally:
            http_logger.removeHandler(collector)
        self.assertFalse(collector.writes, f"{what} wrote on its read-only cursor")

    def _visit(self, rule, login, password, arguments, jsonrpc_params):
        self.authenticate(login, password)
        url = ARGUMENT.sub(lambda match: str(arguments[match.group(1)]), rule)
        with self._assert_no_write(url):
            if jsonrpc_params is not None:
                self.make_jsonrpc_request(url, jsonrpc_params)
            else:
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 200, url)

    def _readonly_paths(self, rules):
        return {rule.rule for rule in rules if rule.endpoint.routing["readonly"]}

    def test_every_get_route_is_readonly_or_says_why_it_writes(self):
        rules = self._addon_rules()
        self.assertTrue(rules, f"no route of {self.ADDON} in the routing map")
        answers_get = {
            rule.rule
            for rule in rules
            if rule.endpoint.routing["type"] == "http"
            and (
                not rule.endpoint.routing.get("methods")
                or "GET" in rule.endpoint.routing["methods"]
            )
        }
        readonly = self._readonly_paths(rules)
        self.assertEqual(answers_get - readonly, set(self.READ_WRITE_ROUTES))
        self.assertEqual(readonly, set(self._visits()), "every read-only route is visited")

    def test_readonly_routes_write_nothing(self):
        readonly = self._readonly_paths(self._addon_rules())
        for path, visits in self._visits().items():
            self.assertIn(path, readonly)
            for login, password, arguments, jsonrpc_params in visits:
                with self.subTest(route=path, login=login):
                    self._visit(path, login, password, arguments, jsonrpc_params)
