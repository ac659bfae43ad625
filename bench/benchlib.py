"""What the benchmarks share: serving a database with odoo-bin, logging in, XML-RPC, and
signing Stripe events as Stripe does. Not a benchmark itself."""

import hashlib
import hmac
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
WEBHOOK_SECRET = "whsec_bench_service_licensing"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Odoo servers -------------------------------------------------------------------------


def start_server(conf, db, workers, logfile, extra=(), port=None, timeout=180, backlog=None):
    """Serve db with odoo-bin (its own process group) on loopback; wait until it answers.

    :param backlog: None: Odoo opens its listening socket itself (prefork: a backlog of 8 x
        workers); a number: the bench opens it with that backlog and hands it to Odoo by
        socket activation (LISTEN_FDS), as systemd's socket units do in production.
    :return: (the Popen of the master process, its base URL)
    """
    server, base = launch_server(
        conf, db, workers, logfile, extra=extra, port=port, backlog=backlog
    )
    if not wait_until_up(base, timeout, server):
        stop_server(server)
        sys.exit(f"the server on {base} did not answer (log: {logfile})")
    return server, base


def launch_server(conf, db, workers, logfile, extra=(), port=None, backlog=None):
    """Start odoo-bin serving db, without waiting: (its Popen, its base URL)."""
    port = port or free_port()
    command = [
        PYTHON,
        str(ODOO_SRC / "odoo-bin"),
        "-c",
        str(conf),
        "-d",
        db,
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--workers={workers}",
        f"--logfile={logfile}",
        "--log-level=info",
        *extra,
    ]
    if not any(arg.startswith("--gevent-port") for arg in extra):
        command.append(f"--gevent-port={free_port()}")
    base = f"http://127.0.0.1:{port}"
    if backlog is None:
        return subprocess.Popen(command, start_new_session=True), base
    # Odoo takes a listening socket on fd 3 when LISTEN_FDS=1 and LISTEN_PID is its own pid
    # (odoo.tools.config.http_socket_activation); the shell puts it there and execs odoo-bin
    # in its own pid.
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(backlog)
        fd = listener.fileno()
        script = f'exec 3<&{fd}; export LISTEN_PID=$$ LISTEN_FDS=1; exec "$@"'
        server = subprocess.Popen(
            ["sh", "-c", script, "odoo-bin", *command], start_new_session=True, pass_fds=(fd,)
        )
    return server, base


def wait_until_up(base, timeout, server=None):
    """Whether base answers within timeout (False at once if the server process ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            return False
        try:
            if requests.get(f"{base}/web/login", timeout=60).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


def stop_server(server):
    """SIGTERM the server's process group (master, workers, gevent); SIGKILL if it lingers."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_server(server)


def kill_server(server):
    """SIGKILL every process of the server at once, as a crashed machine would."""
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    server.wait(timeout=60)


HTTP_WORKER_RE = re.compile(r"Worker WorkerHTTP \((\d+)\) alive")


def http_worker_pids(logfile):
    """The HTTP workers of a prefork server that are alive, from its log."""
    text = Path(logfile).read_text(encoding="utf-8", errors="replace")
    pids = []
    for pid in map(int, HTTP_WORKER_RE.findall(text)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        pids.append(pid)
    return pids


# --- HTTP and XML-RPC clients ---------------------------------------------------------------


def login(base, user, password):
    """Log in through the login form; return the session id."""
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": user, "password": password, "csrf_token": csrf},
        timeout=60,
    )
    assert "session_id" in session.cookies, f"login of {user} failed"
    return session.cookies["session_id"]


def rpc(url, db, user="admin", password="admin"):
    """A function calling model methods over XML-RPC as user."""
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, user, password, {})
    if not uid:
        raise SystemExit(f"cannot log in to {db} as {user}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call


def xmlid(call, name):
    """The database id of a record given its XML id (module.name)."""
    module, name = name.split(".")
    rows = call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
        limit=1,
    )
    if not rows:
        raise SystemExit(f"no record {module}.{name}: install the addons with their demo data")
    return rows[0]["res_id"]


# --- Stripe events --------------------------------------------------------------------------


def sign(payload, secret=WEBHOOK_SECRET):
    """The Stripe-Signature header of payload, signed now, as Stripe signs each delivery."""
    timestamp = int(time.time())
    signature = hmac.new(
        secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def stripe_event(event_type, obj, event_id=None, created=None, prefix="evt_bench_"):
    return {
        "id": event_id or f"{prefix}{uuid.uuid4().hex}",
        "object": "event",
        "type": event_type,
        "created": created or int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def configure_webhooks(call, secret=WEBHOOK_SECRET):
    """Give payment_stripe's endpoint and the licensing endpoint the same signing secret, so
    that one signer serves both."""
    provider_ids = call("payment.provider", "search", [("code", "=", "stripe")])
    call(
        "payment.provider",
        "write",
        provider_ids,
        {"stripe_webhook_secret": secret, "stripe_secret_key": "sk_test_bench"},
    )
    call("ir.config_parameter", "set_param", "service_licensing.webhook_secrets", secret)
