"""The tours' Chromium, as the test harnesses of this folder need it (a11y.py, fit.py,
journeys.py): a script run in every document the browser opens, and console messages of
the page read back by the test rather than logged."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser


@contextmanager
def tour_browser(source, prefix=None, on_message=None):
    """While in it, the tours' browsers run the script ``source`` in every document they
    open before the page's own scripts; a console message that starts with ``prefix`` is
    handed to ``on_message(browser, rest of the message)`` instead of the test's log."""
    navigate_to = ChromeBrowser.navigate_to
    handle_console = ChromeBrowser._handle_console

    def patched_navigate_to(browser, url, wait_stop=False):
        browser._websocket_request(
            "Page.addScriptToEvaluateOnNewDocument", params={"source": source}
        )
        return navigate_to(browser, url, wait_stop=wait_stop)

    def patched_handle_console(browser, **params):
        value = (params.get("args") or [{}])[0].get("value")
        if prefix and isinstance(value, str) and value.startswith(prefix):
            on_message(browser, value[len(prefix) :])
            return None
        return handle_console(browser, **params)

    with (
        patch.object(ChromeBrowser, "navigate_to", patched_navigate_to),
        patch.object(ChromeBrowser, "_handle_console", patched_handle_console),
    ):
        yield
