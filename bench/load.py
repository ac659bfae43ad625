"""Bounded load on a 4-worker Odoo (the prefork server of production) from N concurrent
portal clients: the customer journey of these addons beside Odoo's own /my/orders and
/my/invoices, in the same run.

    .venv/bin/python bench/load.py -c CONF --db DB [--sessions 10,50,100] [--requests 200] [--rounds 4]

DB is an installed database with the demo data and CONF its Odoo configuration (e.g.
`DEV_DB=DB tools/devdb.sh init` and its .build/odoo-DB.conf). The script serves DB with
odoo-bin on free loopback ports (--workers 4, no cron, --dev=replica: the readonly=True
routes run on a read-only connection, as on a streaming replica), logs in 10 portal
sessions as manager@winslow.example, warms every page up (every session requests every
page, as many at once as there are workers, so that each worker has compiled the
templates and filled its caches), then for each N, in ROUNDS rounds:

- "ours": N client threads walk the journey (home, sites, a site, service orders, an
  order, equipment, requests, a request, the knowledge base) until REQUESTS requests are
  done (or --seconds pass);
- "odoo": the same N threads and sessions on /my/orders and /my/invoices, as many requests;

the side that goes first alternates from round to round (ours, odoo, odoo, ours, ...).

The listening socket is opened by the bench with a backlog of 128 and handed to Odoo by
socket activation (LISTEN_FDS), as a systemd socket unit does: Odoo's own prefork socket
has a backlog of 8 x workers, which 100 clients connecting at once overflow, and the
overflowing connections are reset on both sides (--backlog 0 to measure that).

Each thread has its own HTTP session object and one of the logged-in sessions. It prints
requests per second, p50 / p95 / p99 latency and errors (anything but a 200) per N, the
p95 ratio ours / Odoo's, the machine's load average and the bench client's own CPU (near
1 core, the client would be the bottleneck), the number of requests the read-only routes
sent back to the primary (should be 0), a table per page (queries and server time from
Odoo's request log, the client's p50 / p95 at each N), and writes a PNG of p95 against N
(--png). Loopback only; CPU-bound on a small machine: keep the counts small.
"""

import argparse
import itertools
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

import requests
from benchlib import ROOT, free_port, start_server, stop_server
from benchlib import login as form_login

LOGIN, PASSWORD = "manager@winslow.example", "winslow"
SESSIONS = 10
READ_WRITE_RETRY = "retrying with a read/write cursor"
# Odoo's request log line (werkzeug), with the perf info: queries, SQL time, other time (s)
PERF_LINE = re.compile(
    r'"GET (?P<url>\S+) HTTP/[\d.]+" (?P<status>\d+) - (?P<queries>\d+) '
    r"(?P<qtime>[\d.]+) (?P<other>[\d.]+)"
)


def demo_id(db, xmlid):
    module, name = xmlid.split(".")
    out = subprocess.run(
        [
            "psql",
            "-X",
            "-d",
            db,
            "-tAc",
            f"select res_id from ir_model_data where module = '{module}' and name = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return int(out)


def journeys(db):
    site = demo_id(db, "service_portal.site_winslow_north")
    order = demo_id(db, "service_portal.order_north_boiler_upcoming")
    ticket = demo_id(db, "service_helpdesk.ticket_winslow_north_heating")
    ours = [
        "/my",
        "/my/sites",
        f"/my/sites/{site}",
        "/my/service-orders",
        f"/my/service-orders/{order}",
        "/my/equipment",
        "/my/requests",
        f"/my/requests/{ticket}",
        "/helpdesk",
    ]
    return {"ours": ours, "odoo": ["/my/orders", "/my/invoices"]}


def login(base):
    return form_login(base, LOGIN, PASSWORD)


def warm_up(base, urls, cookies, workers):
    """Every session requests every page once, workers at a time, so that each worker has
    compiled the templates and filled its caches (assets, registry, ormcache) before timing."""
    jobs = [(cookie, url) for cookie in cookies for url in urls]
    lock = threading.Lock()

    def client():
        http = requests.Session()
        while True:
            with lock:
                if not jobs:
                    return
                cookie, url = jobs.pop()
            http.cookies.set("session_id", cookie)
            status = http.get(f"{base}{url}", timeout=120, allow_redirects=False).status_code
            assert status == 200, (url, status)

    threads = [threading.Thread(target=client) for _worker in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_phase(base, urls, cookies, clients, total, seconds):
    """clients threads request the urls in turn until total requests are done."""
    lock = threading.Lock()
    sent = [0]
    latencies, errors = [], []
    per_url = {url: [] for url in urls}
    deadline = time.monotonic() + seconds

    def client(index):
        http = requests.Session()
        http.cookies.set("session_id", cookies[index % len(cookies)])
        step = index  # each client starts at another page of the journey
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= total:
                    return
                sent[0] += 1
            url = urls[step % len(urls)]
            step += 1
            start = time.perf_counter()
            try:
                response = http.get(f"{base}{url}", timeout=120, allow_redirects=False)
                status = response.status_code
            except requests.RequestException as error:
                status = repr(error)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                per_url[url].append(elapsed)
                if status != 200:
                    errors.append((url, status))

    started = time.perf_counter()
    cpu_started = time.process_time()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "latencies": latencies,
        "errors": errors,
        "wall": wall,
        # the bench client's own CPU (all its threads) in cores: near 1, it is the bottleneck
        "client_cpu": time.process_time() - cpu_started,
        "load": [os.getloadavg()[0]],
        "per_url": per_url,
    }


def merge(runs):
    """One side's figures over its rounds."""
    latencies = [value for run in runs for value in run["latencies"]]
    errors = [error for run in runs for error in run["errors"]]
    wall = sum(run["wall"] for run in runs)
    result = summarize(latencies, errors, wall)
    result["client_cpu"] = sum(run["client_cpu"] for run in runs) / wall
    result["load"] = [load for run in runs for load in run["load"]]
    result["per_url"] = {
        url: [value for run in runs for value in run["per_url"][url]] for url in runs[0]["per_url"]
    }
    return result


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def server_lines(logfile, start, end):
    """Odoo's request log lines written between the offsets start and end of logfile."""
    with open(logfile, "rb") as log:
        log.seek(start)
        text = log.read(end - start).decode("utf-8", errors="replace")
    return [match.groupdict() for match in PERF_LINE.finditer(text)]


def page_table(results, urls, server):
    """Per page: the server's own time and queries (Odoo's log, every N) and the client's
    p50/p95 at each N."""
    ns = list(results)
    header = "| side | page | queries | server p50 ms | server p95 ms |"
    header += "".join(f" p50 / p95 ms N={n} |" for n in ns)
    print(header)
    print("|---" * (5 + len(ns)) + "|")
    for kind in ("ours", "odoo"):
        for url in urls[kind]:
            lines = [line for line in server if line["url"] == url]
            times = [(float(line["qtime"]) + float(line["other"])) * 1000 for line in lines]
            queries = statistics.median(int(line["queries"]) for line in lines) if lines else 0
            row = f"| {kind} | {url} | {queries:.0f} | "
            row += f"{statistics.median(times):.0f} | " if times else "- | "
            row += f"{percentile(times, 0.95):.0f} |" if times else "- |"
            for n in ns:
                values = results[n][kind]["per_url"][url]
                if values:
                    row += (
                        f" {statistics.median(values) * 1000:.0f} / "
                        f"{percentile(values, 0.95) * 1000:.0f} |"
                    )
                else:
                    row += " - |"
            print(row)
    for kind in ("ours", "odoo"):
        lines = [line for line in server if line["url"] in urls[kind]]
        total = sum((float(line["qtime"]) + float(line["other"])) * 1000 for line in lines)
        if lines:
            print(
                f"{kind}: mean server time per request {total / len(lines):.0f} ms "
                f"over {len(lines)} requests"
            )


def summarize(latencies, errors, wall):
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "errors": len(errors),
        "error_samples": errors[:3],
    }


# --- a PNG without a plotting library -------------------------------------------------------

GLYPHS = {  # 3x5 pixel font
    "0": "111101101101111",
    "1": "010110010010111",
    "2": "111001111100111",
    "3": "111001111001111",
    "4": "101101111001001",
    "5": "111100111001111",
    "6": "111100111101111",
    "7": "111001001001001",
    "8": "111101111101111",
    "9": "111101111001111",
    "p": "111101111100100",
    "m": "000111111101101",
    "s": "011100010001110",
    "N": "101111111111101",
    " ": "000000000000000",
    "v": "000101101101010",
    "o": "000111101101111",
    "d": "001001111101111",
    "u": "000101101101111",
    "r": "000111100100100",
    "=": "000111000111000",
}


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = bytearray(b"\xff" * (width * height * 3))

    def dot(self, x, y, color, size=1):
        for dx in range(size):
            for dy in range(size):
                px, py = int(x) + dx, int(y) + dy
                if 0 <= px < self.width and 0 <= py < self.height:
                    offset = (py * self.width + px) * 3
                    self.pixels[offset : offset + 3] = bytes(color)

    def line(self, x0, y0, x1, y1, color, size=1):
        steps = int(max(abs(x1 - x0), abs(y1 - y0), 1))
        for i in range(steps + 1):
            self.dot(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps, color, size)

    def text(self, x, y, text, color=(0, 0, 0), scale=2):
        for char in text:
            glyph = GLYPHS.get(char, GLYPHS[" "])
            for index, bit in enumerate(glyph):
                if bit == "1":
                    self.dot(x + (index % 3) * scale, y + (index // 3) * scale, color, scale)
            x += 4 * scale

    def png(self, path):
        rows = b"".join(
            b"\x00" + bytes(self.pixels[y * self.width * 3 : (y + 1) * self.width * 3])
            for y in range(self.height)
        )

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        Path(path).write_bytes(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b"")
        )


COLORS = {"ours": (31, 119, 180), "odoo": (214, 39, 40)}


def plot(results, path):
    """p95 (ms, y) against N (x): ours in blue, Odoo's pages in red."""
    canvas = Canvas(640, 400)
    left, right, top, bottom = 80, 600, 40, 340
    ns = sorted(results)
    top_ms = max(results[n][kind]["p95"] for n in ns for kind in COLORS) * 1.1 or 1
    canvas.line(left, bottom, right, bottom, (0, 0, 0))
    canvas.line(left, top, left, bottom, (0, 0, 0))
    canvas.text(left, 12, "p95 ms v N")

    def xy(n, ms):
        x = left + (right - left) * (n - ns[0]) / ((ns[-1] - ns[0]) or 1)
        return x, bottom - (bottom - top) * ms / top_ms

    for n in ns:
        x, _y = xy(n, 0)
        canvas.line(x, bottom, x, bottom + 5, (0, 0, 0))
        canvas.text(x - 8, bottom + 12, str(n))
    for tick in range(5):
        ms = top_ms * tick / 4
        _x, y = xy(ns[0], ms)
        canvas.line(left - 5, y, left, y, (0, 0, 0))
        canvas.line(left + 1, y, right, y, (225, 225, 225))
        canvas.text(8, y - 5, str(int(ms)))
    for kind, color in COLORS.items():
        points = [xy(n, results[n][kind]["p95"]) for n in ns]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            canvas.line(x0, y0, x1, y1, color, size=3)
        for x, y in points:
            canvas.dot(x - 3, y - 3, color, size=7)
    for row, (kind, color) in enumerate(COLORS.items()):
        canvas.dot(right - 110, top + 4 + row * 20, color, size=10)
        canvas.text(right - 94, top + 4 + row * 20, kind, color)
    canvas.text(left + (right - left) // 2 - 4, bottom + 36, "N")
    canvas.png(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--sessions", default="10,50,100")
    parser.add_argument("--requests", type=int, default=200, help="requests per N and side")
    parser.add_argument("--seconds", type=int, default=120, help="time bound per N and side")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--png", default=str(ROOT / "docs" / "bench-load-p95.png"))
    parser.add_argument("--port", type=int, help="HTTP port (default: a free one)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="rounds per N, each side REQUESTS requests a round, first side alternating",
    )
    parser.add_argument(
        "--backlog",
        type=int,
        default=128,
        help="listen backlog of the HTTP socket, opened by the bench and handed to Odoo by "
        "socket activation as a systemd socket unit does; 0: Odoo's own socket, whose "
        "backlog of 8 x workers 100 clients overflow (connections reset on both sides)",
    )
    args = parser.parse_args()
    clients = [int(n) for n in args.sessions.split(",")]
    urls = journeys(args.db)
    logfile = Path(tempfile.mkdtemp(prefix="bench-load-")) / "odoo.log"
    port = args.port or free_port()
    load_before = os.getloadavg()
    odoo, base = start_server(
        args.config,
        args.db,
        args.workers,
        logfile,
        port=port,
        backlog=args.backlog or None,
        extra=(
            "--max-cron-threads=0",
            "--dev=replica",
            "--limit-time-real=300",
            "--limit-time-cpu=120",
            f"--gevent-port={port + 1 if args.port else free_port()}",
        ),
    )
    try:
        cookies = [login(base) for _session in range(SESSIONS)]
        warm_up(base, urls["ours"] + urls["odoo"], cookies, args.workers)
        results, server = {}, []
        for n in clients:
            runs = {"ours": [], "odoo": []}
            for round_ in range(args.rounds):
                # ABBA: the side that goes first alternates, so that a machine getting
                # busier or quieter during the run weighs on both sides alike
                for kind in ("ours", "odoo") if round_ % 2 == 0 else ("odoo", "ours"):
                    offset = logfile.stat().st_size
                    runs[kind].append(
                        run_phase(base, urls[kind], cookies, n, args.requests, args.seconds)
                    )
                    time.sleep(0.5)  # let the workers write their last log lines
                    server += server_lines(logfile, offset, logfile.stat().st_size)
            results[n] = {kind: merge(runs[kind]) for kind in ("ours", "odoo")}
            print(f"N={n} done", file=sys.stderr)
    finally:
        stop_server(odoo)
    retries = logfile.read_text(encoding="utf-8", errors="replace").count(READ_WRITE_RETRY)
    print(
        f"{args.workers} workers, {SESSIONS} sessions, {args.rounds} x {args.requests} requests "
        f"per N and side (listen backlog: {args.backlog or f'{8 * args.workers}, Odoo'}); "
        f"ours = {len(urls['ours'])}-page journey, odoo = /my/orders + /my/invoices"
    )
    print(
        "load average (1 min) of the machine: "
        f"{load_before[0]:.1f} before the server started, "
        + ", ".join(
            f"N={n} {kind} " + "/".join(f"{load:.1f}" for load in r["load"])
            for n, sides in results.items()
            for kind, r in sides.items()
        )
        + " (at the end of each phase)"
    )
    print()
    print("| N | side | requests | req/s | p50 ms | p95 ms | p99 ms | errors | client CPU |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, sides in results.items():
        for kind, r in sides.items():
            print(
                f"| {n} | {kind} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
                f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} | {r['client_cpu']:.2f} |"
            )
    print()
    for n, sides in results.items():
        ratio = sides["ours"]["p95"] / sides["odoo"]["p95"]
        print(f"N={n}: p95 ours / Odoo's = {ratio:.2f}x")
        for kind, r in sides.items():
            if r["error_samples"]:
                print(f"  {kind} errors, e.g. {r['error_samples']}")
    print(f"read-only requests retried on the primary (they wrote): {retries}")
    print()
    print("Per page: server time and queries from Odoo's request log (all N), client latency per N")
    page_table(results, urls, server)
    plot(results, args.png)
    print(f"plot: {args.png}")


if __name__ == "__main__":
    main()
