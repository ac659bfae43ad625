import re
from urllib.parse import urlsplit

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon

# Links of the portal home that leave the portal or act (log out, switch language...).
NOT_PAGES = ("/web/session/logout", "/web/login", "/odoo", "/web")


@tagged("post_install", "-at_install")
class TestPortalHomeLinks(LicensingCommon, HttpCase):
    """Every page the portal home links to answers for every kind of logged-in user: a
    customer contact, a site contact, a licensed technician, an internal user with no
    service rights, a field service user and a web account waiting for its customer. A card
    is shown only to those who may open it (website's crawl test follows every link)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        cls.logins = {}
        for user in cls.manager_user | cls.north_user | cls.terry:
            cls.logins[user.login] = cls.PASSWORDS[user.login]
        internal = cls.env["res.users"].create(
            {
                "name": "Internal Ida",
                "login": "ida.internal@example.com",
                "password": "ida.internal@example.com",
                "group_ids": [Command.set([cls.env.ref("base.group_user").id])],
            }
        )
        dispatcher = cls.env["res.users"].create(
            {
                "name": "Dispatcher Dan",
                "login": "dan.dispatcher@example.com",
                "password": "dan.dispatcher@example.com",
                "group_ids": [Command.set([cls.env.ref("service_portal.group_service_user").id])],
            }
        )
        waiting_partner = cls.env["res.partner"].create(
            {"name": "Walter Waiting", "email": "walter.waiting@example.com"}
        )
        waiting = cls.env["res.users"].create(
            {
                "name": "Walter Waiting",
                "login": "walter.waiting@example.com",
                "password": "walter.waiting@example.com",
                "partner_id": waiting_partner.id,
                "group_ids": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )
        cls.env["service.portal.registration"].create(
            {
                "name": "Walter Waiting",
                "email": "walter.waiting@example.com",
                "partner_id": waiting_partner.id,
                "state": "waiting",
            }
        )
        for user in (internal, dispatcher, waiting):
            cls.logins[user.login] = user.login

    def test_every_link_of_the_portal_home_answers(self):
        failures = []
        for login, password in self.logins.items():
            self.authenticate(login, password)
            home = self.url_open("/my")
            self.assertEqual(home.status_code, 200, login)
            links = {
                urlsplit(href).path
                for href in re.findall(r'href="(/my[^"#]*)"', home.text)
                if not href.startswith(NOT_PAGES)
            }
            for path in sorted(links):
                response = self.url_open(path)
                if response.status_code >= 400:
                    failures.append(f"{login}: {path} answers {response.status_code}")
        self.assertEqual(failures, [], "\n".join(failures))
