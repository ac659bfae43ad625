"""axe-core in the Chromium tours: WCAG 2.1 A/AA on the portal's pages, per persona and width.

axe-core comes from npm (tools/a11y/package-lock.json, installed by `npm ci` in
tools/test.sh and tools/devdb.sh): it is injected into every document the tour's browser
opens, so it is never fetched from elsewhere at run time. The tour
`service_portal_a11y_pages` visits the pages it is given, runs axe on each once the page is
ready and logs the violations; they are read back here from the browser's console.

A violation fails the test unless Odoo's own /my/invoices has the same one (same rule on the
same element of the layout) in the same run and at the same width: that page is the baseline
of what the website layout itself does, which this project does not own.
"""

import json
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

AXE_JS = Path(__file__).resolve().parents[3] / "tools/a11y/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOG_PREFIX = "service-a11y:"
WIDTHS = {"phone": "375x812", "desktop": "1280x800"}
BASELINE_URL = "/my/invoices"


class AxeTourMixin:
    """For HttpCase: `assert_pages_accessible(login, pages)` with pages as (url, ready
    selector) pairs; login None for a visitor. start_tour logs in with the login as
    password: set it on the persona first."""

    _axe_baselines = None

    def _axe_source(self, pages, extra=None):
        if not AXE_JS.exists():
            self.fail(
                f"{AXE_JS} is missing: install the test tools with "
                "`cd tools/a11y && npm ci` (tools/test.sh and tools/devdb.sh do it)."
            )
        config = {"tags": AXE_TAGS, "prefix": LOG_PREFIX, "pages": pages, **(extra or {})}
        return f"{AXE_JS.read_text()}\nwindow.__serviceA11y = {json.dumps(config)};"

    @contextmanager
    def _axe_browser(self, pages, reports, extra=None):
        """While in it, the tours' browsers have axe and window.__serviceA11y (the pages to
        check and `extra`) in every document, and their axe reports go to `reports`."""
        source = self._axe_source(pages, extra)
        navigate_to = ChromeBrowser.navigate_to
        handle_console = ChromeBrowser._handle_console

        def patched_navigate_to(browser, url, wait_stop=False):
            browser._websocket_request(
                "Page.addScriptToEvaluateOnNewDocument", params={"source": source}
            )
            return navigate_to(browser, url, wait_stop=wait_stop)

        def patched_handle_console(browser, **params):
            value = (params.get("args") or [{}])[0].get("value")
            if isinstance(value, str) and value.startswith(LOG_PREFIX):
                reports.append(json.loads(value[len(LOG_PREFIX) :]))
                return None
            return handle_console(browser, **params)

        with (
            patch.object(ChromeBrowser, "navigate_to", patched_navigate_to),
            patch.object(ChromeBrowser, "_handle_console", patched_handle_console),
        ):
            yield

    def _axe_run(self, login, pages, size):
        reports = []
        pages = [{"url": url, "ready": ready} for url, ready in pages]
        self.browser_size = size  # ChromeBrowser rewrites it: set it before each tour
        with self._axe_browser(pages, reports):
            self.start_tour(pages[0]["url"], "service_portal_a11y_pages", login=login, timeout=600)
        checked = [report["url"] for report in reports]
        self.assertEqual(checked, [page["url"] for page in pages], "axe did not check every page")
        return reports

    @staticmethod
    def _axe_keys(report):
        return {
            (violation["id"], json.dumps(node["target"]))
            for violation in report["violations"]
            for node in violation["nodes"]
        }

    def _axe_baseline(self, size):
        """The violations of Odoo's /my/invoices, as a company contact, at this width."""
        baselines = type(self)._axe_baselines
        if baselines is None:
            baselines = type(self)._axe_baselines = {}
        if size not in baselines:
            user = self.env.ref("service_portal.user_winslow_manager")
            user.password = user.login
            (report,) = self._axe_run(user.login, [(BASELINE_URL, "main")], size)
            baselines[size] = self._axe_keys(report)
        return baselines[size]

    def assert_pages_accessible(self, login, pages):
        failures = []
        for width, size in WIDTHS.items():
            baseline = self._axe_baseline(size)
            for report in self._axe_run(login, pages, size):
                for violation in report["violations"]:
                    nodes = [
                        node
                        for node in violation["nodes"]
                        if (violation["id"], json.dumps(node["target"])) not in baseline
                    ]
                    failures.extend(
                        f"{report['url']} ({login or 'visitor'}, {width}) {violation['id']} "
                        f"[{violation['impact']}] {violation['help']}: "
                        f"{json.dumps(node['target'])} {node['html'][:160]} {node['summary']}"
                        for node in nodes
                    )
        if failures:
            self.fail(
                f"{len(failures)} WCAG 2.1 A/AA violations that {BASELINE_URL} does not have:\n"
                + "\n".join(failures)
            )
