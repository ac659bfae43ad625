"""Screenshots of the portal for the README, taken by headless Chromium.

The phone screenshots of the customer's and the technician's journeys (home, sites,
equipment, service-orders, service-order, work) are taken by the journeys' own tours, at
the step where the person sees the page, in a test database with the demo data:

    SERVICE_SCREENSHOTS=$PWD/docs/screenshots DEV_DB=... tools/devdb.sh pytest -k phone \
        addons/service_licensing/tests/test_persona_journeys.py

(service_portal/tests/journeys.py; 256-colour PNGs). This script takes the others: every
page at desktop width, and the pages no journey visits at phone width:

    .venv/bin/python tools/screenshots.py http://127.0.0.1:8069 [NAME...]

Logs in as the demo customer, opens each page and writes docs/screenshots/<name>-<width>.png.
The server must run the demo database (`make run`).
"""

import base64
import itertools
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAGES = [
    ("home", "/my", "manager@winslow.example", "winslow"),
    ("sites", "/my/sites", "manager@winslow.example", "winslow"),
    ("site", "/my/sites/{north}?tab=service", "manager@winslow.example", "winslow"),
    (
        "service-orders",
        "/my/service-orders?filterby=all&groupby=site",
        "manager@winslow.example",
        "winslow",
    ),
    ("service-order", "/my/service-orders/{order}", "manager@winslow.example", "winslow"),
    ("equipment", "/my/equipment/{equipment}", "north@winslow.example", "north"),
    ("requests", "/my/requests?filterby=all", "manager@winslow.example", "winslow"),
    ("purchases", "/my/purchases", "manager@winslow.example", "winslow"),
    ("technicians", "/my/technicians", "manager@winslow.example", "winslow"),
    ("work", "/my/work", "terry@winslow.example", "terry"),
    # the field app's order page and the equipment's request form, whole (FULL_PAGE)
    ("work-order", "/my/work/{work_order}", "terry@winslow.example", "terry"),
    ("equipment-request", "/my/equipment/{equipment}", "north@winslow.example", "north"),
]
# photographed from top to bottom at phone width only
FULL_PAGE = {"work-order", "equipment-request"}
WIDTHS = {"phone": (375, 812, True), "desktop": (1280, 900, False)}
# taken at phone width by the journeys' tours (see above)
JOURNEY_SHOTS = {"home", "sites", "equipment", "service-orders", "service-order", "work"}


def login(base, login_name, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/web/login", data={"login": login_name, "password": password, "csrf_token": csrf}
    )
    return session


def first_link(session, url, pattern):
    match = re.search(pattern, session.get(url).text)
    if not match:
        raise SystemExit(f"no link matching {pattern} on {url}")
    return match.group(1)


class Chromium:
    def __init__(self):
        binary = (
            shutil.which("chromium")
            or shutil.which("chromium-browser")
            or shutil.which("google-chrome")
        )
        if not binary:
            raise SystemExit("Chromium not found: apt-get install chromium")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="sp-shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                targets = requests.get(f"http://127.0.0.1:{self.port}/json/list", timeout=2).json()
                page = next(target for target in targets if target["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        else:
            raise SystemExit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.ids = itertools.count(1)

    def call(self, method, **params):
        call_id = next(self.ids)
        self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("method") == name:
                return message
        raise TimeoutError(name)

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8069"
    only = set(sys.argv[2:])  # names of the pages to take again; all when none is given
    OUT.mkdir(parents=True, exist_ok=True)
    manager = login(base, "manager@winslow.example", "winslow")
    ids = {
        "north": first_link(manager, f"{base}/my/sites", r'href="/my/sites/(\d+)">North Campus'),
        "order": first_link(
            manager, f"{base}/my/service-orders?filterby=all", r'href="/my/service-orders/(\d+)'
        ),
        "equipment": first_link(manager, f"{base}/my/equipment", r'href="/my/equipment/(\d+)'),
        "work_order": first_link(
            login(base, "terry@winslow.example", "terry"),
            f"{base}/my/work",
            r'href="/my/work/(\d+)',
        ),
    }
    browser = Chromium()
    try:
        browser.call("Page.enable")
        browser.call("Network.enable")
        for name, path, login_name, password in PAGES:
            if only and name not in only:
                continue
            session = login(base, login_name, password)
            browser.call("Network.clearBrowserCookies")
            browser.call(
                "Network.setCookie",
                name="session_id",
                value=session.cookies["session_id"],
                url=base,
            )
            for width_name, (width, height, mobile) in WIDTHS.items():
                if width_name == "phone" and name in JOURNEY_SHOTS:
                    continue
                if width_name != "phone" and name in FULL_PAGE:
                    continue
                browser.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=width,
                    height=height,
                    deviceScaleFactor=1,
                    mobile=mobile,
                )
                browser.call("Page.navigate", url=base + path.format(**ids))
                browser.wait_event("Page.loadEventFired")
                time.sleep(1.5)
                if name in FULL_PAGE:
                    metrics = browser.call("Page.getLayoutMetrics")
                    browser.call(
                        "Emulation.setDeviceMetricsOverride",
                        width=width,
                        height=int(metrics["cssContentSize"]["height"]),
                        deviceScaleFactor=1,
                        mobile=mobile,
                    )
                    time.sleep(0.5)
                shot = browser.call("Page.captureScreenshot", format="png")
                target = OUT / f"{name}-{width_name}.png"
                target.write_bytes(base64.b64decode(shot["data"]))
                print(target.relative_to(ROOT))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
