"""`make run` serves with Odoo's prefork server when asked (WORKERS=N), `make test` runs
beside it on a free port, and config/odoo.conf is shaped like production."""

import base64
import configparser
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from odoo.tools import config as odoo_config

ROOT = Path(__file__).resolve().parent.parent


def _common(script, **env):
    """Run a bash snippet after sourcing tools/common.sh; its standard output."""
    result = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; {script}'],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result


def _env_without(*names, **extra):
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(extra)
    return env


def test_threaded_by_default_prefork_with_workers():
    env = _env_without("PORT", "GEVENT_PORT", "WORKERS")
    threaded = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; serve_options'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert threaded == ["--http-port=8069"]
    prefork = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; serve_options'],
        env={**env, "WORKERS": "4"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert "--workers=4" in prefork
    assert "--gevent-port=8072" in prefork  # Odoo's default beside 8069
    assert "--max-cron-threads=1" in prefork
    assert "--limit-time-real=120" in prefork


def test_a_wrong_worker_count_stops_make_run_with_the_reason():
    result = subprocess.run(
        ["bash", str(ROOT / "tools" / "run.sh")],
        env={**os.environ, "WORKERS": "four"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "WORKERS must be a number of worker processes" in result.stderr


def test_make_test_takes_a_free_port_unless_one_is_given():
    given = _common('echo "$PORT_GIVEN $PORT"', PORT="8123")
    assert given.stdout.split() == ["1", "8123"]
    env = _env_without("PORT")
    not_given = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; echo "[$PORT_GIVEN]"; free_port'],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert not_given[0] == "[]"
    port = int(not_given[1])
    with socket.socket() as sock:  # free: it can be bound
        sock.bind(("127.0.0.1", port))
    script = (ROOT / "tools" / "test.sh").read_text(encoding="utf-8")
    assert 'if [ -z "$PORT_GIVEN" ]; then' in script
    assert "PORT=$(free_port)" in script


def test_config_is_shaped_like_production():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "config" / "odoo.conf", encoding="utf-8")
    options = parser["options"]
    assert int(options["workers"]) >= 2
    assert int(options["max_cron_threads"]) >= 1
    assert options["proxy_mode"] == "True"
    assert int(options["gevent_port"]) != int(options["http_port"])
    for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
        assert int(options[limit]) > 0, limit
    assert int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    # every process may open db_maxconn connections: stay below PostgreSQL's 100
    processes = int(options["workers"]) + int(options["max_cron_threads"]) + 1
    assert processes * int(options["db_maxconn"]) < 100


def _wait_for(url, deadline):
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=60)
        except requests.ConnectionError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url}")


def _websocket_handshake(port, deadline):
    """The status line of a websocket handshake, once the gevent process listens."""
    while True:
        try:
            return _websocket_handshake_once(port)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _websocket_handshake_once(port):
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(
            (
                f"GET /websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        return sock.recv(4096).decode(errors="replace").split("\r\n", 1)[0]


def test_prefork_server_serves_the_portal_and_the_websocket(tmp_path):
    """The options of `WORKERS=2 make run`, on the test database: HTTP workers answer the
    login page and a portal route, the gevent process answers the websocket handshake."""
    database = odoo_config["db_name"][0]
    ports = {}
    for name in ("PORT", "GEVENT_PORT"):
        ports[name] = _common("free_port").stdout.strip()
    conf = tmp_path / "odoo.conf"
    env = {**os.environ, **ports, "WORKERS": "2"}
    command = (
        f'source "{ROOT}/tools/common.sh"; write_odoo_conf "{conf}" "{database}"; '
        "mapfile -t OPTIONS < <(serve_options); "
        f'exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "{conf}" -d "{database}" '
        f'"${{OPTIONS[@]}}" --logfile="{tmp_path / "odoo.log"}"'
    )
    server = subprocess.Popen(["bash", "-c", command], env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{ports['PORT']}"
        login = _wait_for(f"{base}/web/login", time.monotonic() + 90)
        assert login.status_code == 200
        assert requests.get(f"{base}/helpdesk", timeout=120).status_code == 200
        assert "101" in _websocket_handshake(int(ports["GEVENT_PORT"]), time.monotonic() + 90)
        log = (tmp_path / "odoo.log").read_text(encoding="utf-8")
        assert log.count("Worker WorkerHTTP") >= 2
        assert "Worker WorkerCron" in log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
