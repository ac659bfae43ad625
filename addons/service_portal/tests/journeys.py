"""The personas' journeys in Chromium, at phone and laptop width.

`JourneyTourMixin.journey_tour(url, tour, login, width, **data)` runs a tour at 375 px
("phone") or 1280 px ("desktop") with `window.__serviceJourney` (the `data`: ids of the
records the tour needs) in every document its browser opens. The tours check every portal
page they visit with service_portal's fit check (`pageStep` in
static/tests/tours/service_portal_journey_utils.js: no sideways scroll); a console error
fails a tour by itself (Odoo's ChromeBrowser).

Screenshots for the README: with SERVICE_SCREENSHOTS=<folder> in the environment, the phone
runs photograph the pages that their tours name (`pageStep(..., {shot: "home"})`) into
<folder>/<name>-phone.png, as palette PNGs:

    SERVICE_SCREENSHOTS=docs/screenshots DEV_DB=... tools/devdb.sh pytest \\
        addons/service_portal/tests/test_journey_registration.py \\
        addons/service_licensing/tests/test_persona_journeys.py -k phone
"""

import base64
import io
import json
import logging
import os
from pathlib import Path

from .browser import tour_browser

_logger = logging.getLogger(__name__)

WIDTHS = {"phone": "375x812", "desktop": "1280x800"}
SHOT_PREFIX = "service-shot:"
SHOTS_ENV = "SERVICE_SCREENSHOTS"


def save_png(data, target):
    """Write a screenshot as a small PNG: 256 colours, optimised (a portal page is flat)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, optimize=True)


class JourneyTourMixin:
    """For HttpCase. start_tour logs in with the login as password: set it first."""

    def journey_tour(self, url, tour, login, width, **data):
        folder = os.environ.get(SHOTS_ENV)
        shots = bool(folder) and width == "phone"
        config = {**data, "shots": shots, "shotPrefix": SHOT_PREFIX}
        source = f"window.__serviceJourney = {json.dumps(config)};"

        def shot(browser, name):
            if not shots:
                return
            target = Path(folder) / f"{name}-{width}.png"
            future = browser._websocket_send(
                "Page.captureScreenshot", params={"format": "png"}, with_future=True
            )

            def write(done, target=target):
                save_png(base64.b64decode(done.result()["data"]), target)
                _logger.info("screenshot %s", target)

            future.add_done_callback(write)

        self.browser_size = WIDTHS[width]  # ChromeBrowser rewrites it: set before each tour
        with tour_browser(source, SHOT_PREFIX, shot):
            self.start_tour(url, tour, login=login, timeout=300)
