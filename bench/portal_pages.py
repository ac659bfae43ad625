"""SQL queries and server time of the field-service portal pages, beside Odoo's own
/my/invoices, for a customer with 10 and with 1,000 records of each kind (support requests
too, with their pages, when service_helpdesk is among the addons).

    .venv/bin/python bench/portal_pages.py [--db service_portal_bench] [--rounds 10]

It (re)creates the database with the addons and their demo data, adds two bench customers
(10 and 1,000 service orders, equipment, documents and posted invoices each, with a portal
login), serves it with odoo-bin on a free loopback port, requests each page as each
customer and reads the query count and times Odoo logs for every request (werkzeug
lines: "<queries> <query time> <other time>"). Figures are medians over the rounds.
"""

import argparse
import getpass
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
PAGES = ["/my", "/my/sites", "/my/service-orders?filterby=all", "/my/equipment", "/my/invoices"]
# pages of service_helpdesk; "{request}" is one of the customer's requests
HELPDESK_PAGES = ["/my/requests?filterby=all", "/my/requests/{request}"]
REFERENCE = "/my/invoices"
VOLUMES = (10, 1000)
PERF_LINE = re.compile(
    r'"GET (?P<url>\S+) HTTP/[\d.]+" (?P<status>\d+) - (?P<queries>\d+) (?P<qtime>[\d.]+) (?P<other>[\d.]+)'
)


def odoo_conf(db, port):
    conf = Path(tempfile.mkdtemp(prefix="sp-bench-")) / "odoo.conf"
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


def odoo_bin(conf, *args, command=(), **kwargs):
    cmd = [sys.executable, str(ODOO_SRC / "odoo-bin"), *command, "-c", str(conf), *args]
    return subprocess.run(cmd, check=True, **kwargs)


def create_database(conf, db, addons):
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    print(f"installing {addons} with demo data into {db} ...", flush=True)
    odoo_bin(conf, "-d", db, "-i", addons, "--with-demo", "--stop-after-init", "--log-level=warn")


GENERATE = r"""
import os
from odoo import Command, fields
from datetime import timedelta

volume = int(os.environ["BENCH_VOLUME"])
Partner = env["res.partner"]
customer = Partner.create({"name": f"Bench customer {volume}", "is_company": True})
sites = Partner.create(
    [{"name": f"Bench {volume} site {i}", "parent_id": customer.id, "service_is_job_site": True, "type": "other"}
     for i in range(max(1, volume // 50))]
)
contact = Partner.create({"name": f"Bench contact {volume}", "parent_id": customer.id,
                          "email": f"bench-{volume}@example.com"})
env["res.users"].with_context(no_reset_password=True).create({
    "partner_id": contact.id, "login": f"bench-{volume}@example.com", "password": "bench-password",
    "group_ids": [Command.set([env.ref("base.group_portal").id])],
})
now = fields.Datetime.now()
equipment = env["service.equipment"].create([
    {"name": f"Unit {i}", "serial_number": f"B{volume}-{i}", "partner_id": customer.id,
     "site_id": sites[i % len(sites)].id, "maintenance_interval": 6,
     "install_date": fields.Date.today() - timedelta(days=400 + i)}
    for i in range(volume)
])
states = ["draft", "scheduled", "in_progress", "done", "cancelled"]
env["service.order"].create([
    {"partner_id": customer.id, "site_id": sites[i % len(sites)].id, "equipment_id": equipment[i].id,
     "kind": ["service", "install", "maintenance"][i % 3], "state": states[i % 5],
     "date_start": now + timedelta(hours=i - volume // 2), "date_end": now + timedelta(hours=i - volume // 2 + 2),
     "description": f"<p>Bench order {i}</p>"}
    for i in range(volume)
])
env["service.document"].create([
    {"name": f"Report {i}", "file": "aGVsbG8=", "file_name": f"report-{i}.txt", "published": True,
     "equipment_id": equipment[i].id}
    for i in range(volume)
])
product = env["product.product"].create({"name": "Bench call-out", "list_price": 90})
invoices = env["account.move"].create([
    {"move_type": "out_invoice", "partner_id": customer.id, "partner_shipping_id": sites[i % len(sites)].id,
     "invoice_date": fields.Date.today() - timedelta(days=i % 60),
     "invoice_line_ids": [Command.create({"product_id": product.id, "price_unit": 90})]}
    for i in range(volume)
])
invoices.action_post()
if "service.ticket" in env:
    ticket_states = ["open", "completed", "cancelled"]
    tickets = env["service.ticket"].create([
        {"subject": f"Bench request {i}", "partner_id": customer.id,
         "site_id": sites[i % len(sites)].id, "requester_id": contact.id,
         "equipment_id": equipment[i].id, "state": ticket_states[i % 3],
         "priority": str(i % 3), "description": f"<p>Bench request {i}</p>"}
        for i in range(volume)
    ])
    agent = env.ref("base.user_admin")
    for ticket in tickets[:10]:
        ticket.with_user(agent).message_post(
            body="We are on it.", message_type="comment", subtype_xmlid="mail.mt_comment")
env.cr.commit()
print(f"bench customer {volume}: {len(sites)} sites, {volume} orders, equipment, documents, "
      "invoices and requests")
"""


def generate_data(conf, db, volume):
    script = Path(conf).parent / "generate.py"
    script.write_text(GENERATE)
    with script.open() as stdin:
        odoo_bin(
            conf,
            "-d",
            db,
            "--log-level=warn",
            command=["shell"],
            stdin=stdin,
            env={**os.environ, "BENCH_VOLUME": str(volume)},
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(conf, db, logfile):
    process = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            "-c",
            str(conf),
            "-d",
            db,
            "--log-level=info",
            f"--logfile={logfile}",
        ],
    )
    return process


def wait_for(url, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server did not answer {url} within {timeout}s")


def login(base, login_name, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/web/login", data={"login": login_name, "password": password, "csrf_token": csrf}
    )
    if not response.url.endswith("/my"):
        raise SystemExit(f"could not log in as {login_name} (landed on {response.url})")
    return session


def perf_lines(logfile, offset):
    with open(logfile, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        text = log.read()
    return [match.groupdict() for match in PERF_LINE.finditer(text)]


def measure(base, logfile, session, url, rounds):
    for _ in range(5):  # warm the caches (templates, assets, registry, prefetch)
        session.get(base + url)
    time.sleep(0.2)
    offset = os.path.getsize(logfile)
    for _ in range(rounds):
        response = session.get(base + url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    time.sleep(0.5)  # let the log flush
    lines = [line for line in perf_lines(logfile, offset) if line["url"] == url]
    if len(lines) < rounds:
        raise SystemExit(f"found {len(lines)} log lines for {url}, expected {rounds}")
    queries = statistics.median(int(line["queries"]) for line in lines)
    server_ms = statistics.median(
        (float(line["qtime"]) + float(line["other"])) * 1000 for line in lines
    )
    return queries, server_ms


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="service_portal_bench")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--addons",
        default="service_portal,service_helpdesk,service_licensing,service_licensing_helpdesk",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    args = parser.parse_args()

    with_helpdesk = "service_helpdesk" in args.addons.split(",")
    pages = PAGES + (HELPDESK_PAGES if with_helpdesk else [])
    port = free_port()
    conf = odoo_conf(args.db, port)
    if not args.reuse:
        create_database(conf, args.db, args.addons)
        for volume in VOLUMES:
            generate_data(conf, args.db, volume)

    logfile = Path(conf).parent / "server.log"
    logfile.touch()
    server = serve(conf, args.db, logfile)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/web/login")
        results = {}
        for volume in VOLUMES:
            session = login(base, f"bench-{volume}@example.com", "bench-password")
            ids = {}
            if with_helpdesk:
                listing = session.get(f"{base}/my/requests?filterby=all").text
                ids["request"] = re.search(r'href="/my/requests/(\d+)', listing).group(1)
            for page in pages:
                url = page.format(**ids)
                results[volume, page] = measure(base, logfile, session, url, args.rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    print(
        f"Median of {args.rounds} requests per page, one customer per volume, same server and run."
    )
    print(f"{'page':34} {'records':>7} {'queries':>8} {'server ms':>10} {'x /my/invoices':>15}")
    for volume in VOLUMES:
        _ref_queries, ref_ms = results[volume, REFERENCE]
        for url in pages:
            queries, server_ms = results[volume, url]
            ratio = server_ms / ref_ms if ref_ms else float("nan")
            print(f"{url:34} {volume:>7} {queries:>8.0f} {server_ms:>10.1f} {ratio:>15.2f}")
    print()
    print("Query count at 1,000 records against 10 (constant when equal):")
    for url in pages:
        small, large = results[VOLUMES[0], url][0], results[VOLUMES[1], url][0]
        print(
            f"  {url:34} {small:>5.0f} -> {large:>5.0f}  {'constant' if small == large else 'GROWS'}"
        )


if __name__ == "__main__":
    main()
