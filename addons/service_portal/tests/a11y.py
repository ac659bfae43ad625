"""axe-core in the Chromium tours: WCAG 2.1 A/AA on the portal's pages, per persona and width.

axe-core comes from npm (tools/a11y/package-lock.json, installed by `npm ci` in
tools/test.sh and tools/devdb.sh): it is injected into every document the tour's browser
opens, so it is never fetched from elsewhere at run time. The tour
`service_portal_a11y_pages` visits the pages it is given, runs axe on each once the page is
ready and logs the violations; they are read back here from the browser's console.

A violation fails the test unless Odoo's own /my/invoices has the same one (same rule on the
same element of the layout) in the same run and at the same width: that page is the baseline
of what the website layout itself does, which this project does not own.

Besides axe's rules (with WCAG 2.2's target-size: touch targets of 24 px at least), the tour
checks reflow (WCAG 1.4.10: no horizontal scrolling of the page) at 375 and 1280 px, and in
a third pass at 320 px, the width of 1280 px at 400% zoom, where only reflow is checked.
A page may come with steps that the tour plays before checking it, e.g. a form submitted
with a wrong value, so that the page showing the error is the one checked.
"""

import json
from contextlib import contextmanager
from pathlib import Path

from .browser import tour_browser

AXE_JS = Path(__file__).resolve().parents[3] / "tools/a11y/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOG_PREFIX = "service-a11y:"
WIDTHS = {"phone": "375x812", "desktop": "1280x800", "400% zoom": "320x640"}
# at this width only the reflow check runs (axe's rules are run at the two others)
REFLOW_ONLY_SIZE = "320x640"
BASELINE_URL = "/my/invoices"


class AxeTourMixin:
    """For HttpCase: `assert_pages_accessible(login, pages)` with pages as (url, ready
    selector) pairs, or (url, ready selector, tour steps to play first); login None for a
    visitor. start_tour logs in with the login as password: set it on the persona first."""

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
        with tour_browser(
            source, LOG_PREFIX, lambda _browser, report: reports.append(json.loads(report))
        ):
            yield

    def _axe_run(self, login, pages, size):
        reports = []
        pages = [
            {"url": page[0], "ready": page[1], "steps": page[2] if len(page) > 2 else []}
            for page in pages
        ]
        self.browser_size = size  # ChromeBrowser rewrites it: set it before each tour
        with self._axe_browser(pages, reports, {"reflowOnly": size == REFLOW_ONLY_SIZE}):
            self.start_tour(pages[0]["url"], "service_portal_a11y_pages", login=login, timeout=600)
        checked = [report["url"] for report in reports]
        self.assertEqual(checked, [page["url"] for page in pages], "axe did not check every page")
        screen = int(size.split("x")[0])
        for report in reports:
            # the layout width (the screen's, less a vertical scrollbar if any)
            self.assertTrue(
                screen - 20 <= report["width"] <= screen,
                f"{report['url']} was checked {report['width']}px wide, not {screen}px",
            )
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
            user = self.manager_user
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


class FieldErrorAssertions:
    """For tests of a form answered with an error: the error is tied to its field."""

    def assert_field_error(self, html, field_ids, message):
        """The fields of ``field_ids`` (element ids) carry aria-invalid="true" and an
        aria-describedby naming an element that says ``message`` (or, a dict, the message
        of each field id), which is announced (in an alert or aria-live region, or the
        page's error summary is an alert that takes the focus); no other field of the page
        is marked."""
        from lxml import html as lxml_html

        if isinstance(field_ids, str):
            field_ids = [field_ids]
        document = lxml_html.fromstring(html)
        messages = message if isinstance(message, dict) else dict.fromkeys(field_ids, message)
        for field_id in field_ids:
            message = messages[field_id]
            (field,) = document.xpath("//*[@id=$id]", id=field_id) or [None]
            self.assertIsNotNone(field, f"no element #{field_id} in the page")
            self.assertEqual(field.get("aria-invalid"), "true", f"#{field_id} aria-invalid")
            described_by = (field.get("aria-describedby") or "").split()
            self.assertTrue(described_by, f"#{field_id} has no aria-describedby")
            descriptions = []
            for described_id in described_by:
                targets = document.xpath("//*[@id=$id]", id=described_id)
                self.assertEqual(
                    len(targets), 1, f"#{field_id} points at #{described_id}: not one element"
                )
                descriptions.append(targets[0])
            saying = [
                element
                for element in descriptions
                if message in " ".join(element.text_content().split())
            ]
            self.assertTrue(
                saying,
                f"none of {described_by} (described by #{field_id}) says {message!r}",
            )
            # Announced: the message is in an alert, or the page's error summary is an
            # alert that takes the focus when the page loads (form_errors.js)
            self.assertTrue(
                any(
                    element.xpath("ancestor-or-self::*[@role='alert' or @aria-live]")
                    for element in saying
                )
                or document.xpath(
                    "//*[contains(concat(' ', @class, ' '), ' o_service_form_error ')]"
                    "[@role='alert'][@tabindex='-1']"
                ),
                f"the error of #{field_id} is not announced (role=alert or aria-live)",
            )
        marked = {
            element.get("id") or element.get("name")
            for element in document.xpath("//*[@aria-invalid='true']")
        }
        self.assertEqual(marked, set(field_ids), "only the refused fields are marked invalid")
