"""The portal's pages fit the screen: in Chromium at 375 px (a phone) and 1280 px (a
laptop), no page is wider than the screen and nothing in it scrolls sideways (a table in
a `table-responsive` box that the reader must swipe counts as scrolling), and no page logs
a console error (the tour fails on those by itself).

`assert_pages_fit(login, pages)` runs the tour `service_portal_fits_screen` on the pages,
given as (url, ready selector) pairs, which it reads from `window.__serviceFit`: the
script is added to every document the tour's browser opens. A page may be given as a
dict instead, with `steps` (tour steps played before the check, e.g. a click that opens a
folded form) and `form` (a selector of forms whose fields must be usable: not crushed,
not cut off).

The journeys' tours reuse the same check on every page they visit: the tour file exports
`assertFits` and `fitStep`.
"""

import json

from .browser import tour_browser

WIDTHS = {"phone": "375x812", "desktop": "1280x800"}


class FitTourMixin:
    """For HttpCase. start_tour logs in with the login as password: set it first."""

    def assert_pages_fit(self, login, pages):
        config = {
            "pages": [
                page if isinstance(page, dict) else {"url": page[0], "ready": page[1]}
                for page in pages
            ]
        }
        source = f"window.__serviceFit = {json.dumps(config)};"
        for width, size in WIDTHS.items():
            with self.subTest(width=width):
                self.browser_size = size  # ChromeBrowser rewrites it: set before each tour
                with tour_browser(source):
                    self.start_tour(
                        config["pages"][0]["url"],
                        "service_portal_fits_screen",
                        login=login,
                        timeout=600,
                    )
