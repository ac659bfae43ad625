"""Bounded load on a 4-worker Odoo (the prefork server of production) from N concurrent
portal clients: the customer journey of these addons beside Odoo's own /my/orders and
/my/invoices, in the same run.

    .venv/bin/python bench/load.py -c CONF --db DB [--sessions 10,50,100] [--requests 200]

DB is an installed database with the demo data and CONF its Odoo configuration (e.g.
`DEV_DB=DB tools/devdb.sh init` and its .build/odoo-DB.conf). The script serves DB with
odoo-bin on free loopback ports (--workers 4, no cron, --dev=replica: the readonly=True
routes run on a read-only connection, as on a streaming replica), logs in 10 portal
sessions as manager@winslow.example, warms every page once, then for each N:

- "ours": N client threads walk the journey (home, sites, a site, service orders, an
  order, equipment, requests, a request, the knowledge base) until REQUESTS requests are
  done (or --seconds pass);
- "odoo": the same N threads and sessions on /my/orders and /my/invoices, as many requests.

Each thread has its own connection and one of the sessions. It prints requests per second,
p50 / p95 / p99 latency and errors (anything but a 200) per N, the p95 ratio ours / Odoo's,
the number of requests the read-only routes sent back to the primary (should be 0), and
writes a PNG of p95 against N (--png). Loopback only; CPU-bound on a small machine: keep
the counts small.
"""

import argparse
import itertools
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
from benchlib import ROOT, start_server, stop_server
from benchlib import login as form_login

LOGIN, PASSWORD = "manager@winslow.example", "winslow"
SESSIONS = 10
READ_WRITE_RETRY = "retrying with a read/write cursor"


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


def run_phase(base, urls, cookies, clients, total, seconds):
    """clients threads request the urls in turn until total requests are done."""
    lock = threading.Lock()
    sent = [0]
    latencies, errors = [], []
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
                if status != 200:
                    errors.append((url, status))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return summarize(latencies, errors, wall)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


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
    args = parser.parse_args()
    clients = [int(n) for n in args.sessions.split(",")]
    urls = journeys(args.db)
    logfile = Path(tempfile.mkdtemp(prefix="bench-load-")) / "odoo.log"
    server, base = start_server(
        args.config,
        args.db,
        args.workers,
        logfile,
        extra=(
            "--max-cron-threads=0",
            "--dev=replica",
            "--limit-time-real=300",
            "--limit-time-cpu=120",
        ),
    )
    try:
        cookies = [login(base) for _session in range(SESSIONS)]
        for cookie in cookies[:2]:  # warm-up: assets, caches, every page answers
            for url in urls["ours"] + urls["odoo"]:
                http = requests.Session()
                http.cookies.set("session_id", cookie)
                status = http.get(f"{base}{url}", timeout=120, allow_redirects=False).status_code
                assert status == 200, (url, status)
        results = {}
        for n in clients:
            results[n] = {
                kind: run_phase(base, urls[kind], cookies, n, args.requests, args.seconds)
                for kind in ("ours", "odoo")
            }
            print(f"N={n} done", file=sys.stderr)
    finally:
        stop_server(server)
    retries = logfile.read_text(encoding="utf-8", errors="replace").count(READ_WRITE_RETRY)
    print(
        f"{args.workers} workers, {SESSIONS} sessions, {args.requests} requests per N and side; "
        f"ours = {len(urls['ours'])}-page journey, odoo = /my/orders + /my/invoices"
    )
    print("| N | side | requests | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for n, sides in results.items():
        for kind, r in sides.items():
            print(
                f"| {n} | {kind} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | "
                f"{r['p95']:.0f} | {r['p99']:.0f} | {r['errors']} |"
            )
    print()
    for n, sides in results.items():
        ratio = sides["ours"]["p95"] / sides["odoo"]["p95"]
        print(f"N={n}: p95 ours / Odoo's = {ratio:.2f}x")
        for kind, r in sides.items():
            if r["error_samples"]:
                print(f"  {kind} errors, e.g. {r['error_samples']}")
    print(f"read-only requests retried on the primary (they wrote): {retries}")
    plot(results, args.png)
    print(f"plot: {args.png}")


if __name__ == "__main__":
    main()
