#!/usr/bin/env python3
"""Hostile input at volume: the generated cases of the fuzz test, by the ten thousand.

Sends the cases of addons/service_licensing/tests/fuzz_cases.py (every website route of the
three addons, from Odoo's routing map, with hostile path arguments, parameters and form
fields) as the demo personas (company contact, site contact, another customer, a licensed
technician) and the public, to a server serving a database with the addons and their demo
data, and prints the number of requests, of server errors (HTTP 500 or an unexpected
JSON-RPC error) and of half-written records (a refused request that changed a row of the
addons' tables, their messages or ratings: each refused request is checked in the database).

    tools/devdb.sh init                                          # a database with demo data
    .venv/bin/python bench/fuzz.py --db service_portal_dev       # starts a server on --port
    .venv/bin/python bench/fuzz.py --db sp_dev --url http://127.0.0.1:8069   # a running one

It writes to the database (requests that are accepted create records): use a dev database.
"""

import argparse
import collections
import getpass
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
sys.path.insert(0, str(ODOO_SRC))
PERSONAS = {  # the demo users' passwords (see the addons' demo data)
    "manager@winslow.example": "winslow",
    "north@winslow.example": "north",
    "owner@parkway.example": "parkway",
    "terry@winslow.example": "terry",
    None: None,
}


def odoo_conf(db, port):
    conf = Path(tempfile.mkdtemp(prefix="sp-fuzz-")) / "odoo.conf"
    conf.write_text(
        "\n".join(
            [
                "[options]",
                f"addons_path = {ROOT / 'addons'},{ODOO_SRC / 'addons'},{ODOO_SRC / 'odoo' / 'addons'}",
                f"data_dir = {ROOT / '.build' / 'data'}",
                f"db_host = {os.environ.get('PGHOST', '127.0.0.1')}",
                f"db_port = {os.environ.get('PGPORT', '5432')}",
                f"db_user = {os.environ.get('PGUSER') or getpass.getuser()}",
                f"db_name = {db}",
                f"dbfilter = ^{db}$",
                "list_db = False",
                "http_interface = 127.0.0.1",
                f"http_port = {port}",
                "workers = 0",
                "max_cron_threads = 0",
                "",
            ]
        )
    )
    return conf


def start_server(conf, url):
    server = subprocess.Popen(
        [sys.executable, str(ODOO_SRC / "odoo-bin"), "-c", str(conf), "--log-level=error"],
        stdout=subprocess.DEVNULL,
    )
    for _attempt in range(60):
        try:
            requests.get(url + "/web/login", timeout=120)  # the first page builds the assets
            return server
        except requests.RequestException:
            time.sleep(2)
    server.kill()
    sys.exit("the Odoo server did not start")


def login(url, login_name, password):
    session = requests.Session()
    page = session.get(url + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    if login_name:
        answer = session.post(
            url + "/web/login",
            data={"login": login_name, "password": password, "csrf_token": token},
            timeout=30,
        )
        if "/web/login" in answer.url and "Wrong login" in answer.text:
            sys.exit(f"cannot log in as {login_name}")
    home = session.get(url + ("/my" if login_name else "/web/login"), timeout=30)
    match = re.search(r'csrf_token: "([^"]+)"', home.text) or re.search(
        r'name="csrf_token" value="([^"]+)"', home.text
    )
    return session, match.group(1) if match else token


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a database with the addons and demo data")
    parser.add_argument("--url", help="a server serving --db (default: start one on --port)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8069")))
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()

    import odoo  # after ODOO_SRC is on the path
    from odoo.modules.registry import Registry
    from odoo.tools import config

    conf = odoo_conf(args.db, args.port)
    config.parse_config(["-c", str(conf)])
    from odoo.addons.service_licensing.tests import fuzz_cases

    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        routes = fuzz_cases.service_routes(env)
        field_names = fuzz_cases.template_field_names(env)
        ids = fuzz_cases.record_ids(env)
        fingerprint = fuzz_cases.fingerprint_sql(env)

    url = (args.url or f"http://127.0.0.1:{args.port}").rstrip("/")
    server = None if args.url else start_server(conf, url)
    try:
        sessions = {who: login(url, who, password) for who, password in PERSONAS.items()}
        rng = fuzz_cases.make_rng(args.seed)
        counts = collections.Counter()
        errors, half_written = [], []
        started = time.monotonic()
        while counts["requests"] < args.requests:
            for who, (session, token) in sessions.items():
                for case in fuzz_cases.generate_cases(routes, field_names, ids, rng, 1):
                    with registry.cursor() as cr:
                        cr.execute(fingerprint)
                        before = cr.fetchone()[0]
                    try:
                        response = fuzz_cases.send_case(session, url, case, token)
                    except requests.RequestException as error:
                        counts["error"] += 1
                        errors.append(f"{who} {case.method} {case.path}: {error}")
                        continue
                    counts["requests"] += 1
                    outcome = fuzz_cases.classify(case, response)
                    counts[outcome] += 1
                    if outcome == "error":
                        shown = {k: repr(v)[:40] for k, v in case.params.items()}
                        errors.append(
                            f"{who or 'public'} {case.method} {case.path} {shown}: "
                            f"{response.status_code}"
                        )
                    elif outcome == "refused":
                        with registry.cursor() as cr:
                            cr.execute(fingerprint)
                            if cr.fetchone()[0] != before:
                                counts["half-written"] += 1
                                half_written.append(f"{who} {case.method} {case.path}")
                    if who and "session_id" not in session.cookies:
                        sessions[who] = login(url, who, PERSONAS[who])
            print(
                f"{counts['requests']} requests, {counts['error']} errors, "
                f"{counts['half-written']} half-written",
                flush=True,
            )
        elapsed = time.monotonic() - started
    finally:
        if server:
            server.terminate()
            server.wait(30)
    print(f"\nroutes: {len(routes)}, personas: {len(PERSONAS)}, seed: {args.seed}")
    print(f"requests: {counts['requests']} in {elapsed:.0f} s")
    print(f"answered: {counts['ok']} ok, {counts['refused']} refused (4xx or error message)")
    print(f"server errors (500): {counts['error']}")
    print(f"half-written records: {counts['half-written']}")
    for line in (errors + half_written)[:30]:
        print("  ", line)
    return 1 if counts["error"] or counts["half-written"] else 0


if __name__ == "__main__":
    sys.exit(main())
