import logging
import re

from odoo.tests import HttpCase, tagged

from . import fuzz_cases
from .common import LicensingCommon

_logger = logging.getLogger(__name__)

SEED = 20261129
CASES_PER_ROUTE = 1
PERSONAS = {
    # user of the shared test base (service_licensing/tests/common.py): the persona
    "manager_user": "company contact and licensing owner",
    "north_user": "site contact",
    "parkway_user": "another customer",
    "terry": "licensed technician",
    None: "public visitor",
}


@tagged("post_install", "-at_install")
class TestFuzzServiceRoutes(LicensingCommon, HttpCase):
    """Every route of the three addons, from Odoo's routing map, sent hostile values by
    every persona: never a server error, and a refused request writes nothing.
    bench/fuzz.py runs the same cases by the tens of thousands."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.users = cls.env["res.users"].union(*(getattr(cls, name) for name in PERSONAS if name))
        cls.persona_logins = [getattr(cls, name).login if name else None for name in PERSONAS]
        for user in cls.users:
            user.password = user.login
        cls.users.tz = "America/Chicago"  # the far west: year 9999 overflows the UTC date

    def _csrf_token(self):
        page = self.url_open("/my" if self.session.uid else "/web/login")
        match = re.search(r'csrf_token: "([^"]+)"', page.text) or re.search(
            r'name="csrf_token" value="([^"]+)"', page.text
        )
        return match.group(1) if match else ""

    def test_hostile_values_on_every_route(self):
        routes = fuzz_cases.service_routes(self.env)
        urls = {route.url for route in routes}
        for expected in (
            "/my/service-orders/<int:order_id>/sign",
            "/my/requests/new",
            "/helpdesk/page/<int:page>",
            "/my/admins/add",
            "/portal/register",
            "/my",  # Odoo's portal home, which service_portal overrides
        ):
            self.assertIn(expected, urls)
        field_names = fuzz_cases.template_field_names(self.env)
        self.assertIn("subject", field_names)
        ids = fuzz_cases.record_ids(self.env)
        fingerprint = fuzz_cases.fingerprint_sql(self.env)
        rng = fuzz_cases.make_rng(SEED)
        errors, half_written, sent = [], [], 0
        for login in self.persona_logins:
            if login:
                self.authenticate(login, login)
            else:
                self.authenticate(None, None)
            csrf_token = self._csrf_token()
            cases = fuzz_cases.generate_cases(routes, field_names, ids, rng, CASES_PER_ROUTE)
            for case in cases:
                self.env.cr.execute(fingerprint)
                before = self.env.cr.fetchone()[0]
                response = fuzz_cases.send_case(self.opener, self.base_url(), case, csrf_token)
                sent += 1
                outcome = fuzz_cases.classify(case, response)
                shown = {k: repr(v)[:40] for k, v in case.params.items()}
                described = f"{login or 'public'} {case.method} {case.path} {shown}"
                if outcome == "error":
                    errors.append(f"{described}: {response.status_code}")
                elif outcome == "refused":
                    self.env.cr.execute(fingerprint)
                    if self.env.cr.fetchone()[0] != before:
                        half_written.append(f"{described}: {response.status_code}")
                if not self.session.uid and login:
                    self.authenticate(login, login)  # a route logged the persona out
                    csrf_token = self._csrf_token()
        _logger.info("fuzz: %s requests on %s routes", sent, len(routes))
        self.assertGreater(sent, 200)
        self.assertEqual(errors, [], "\n".join(errors))
        self.assertEqual(half_written, [], "\n".join(half_written))
