import re
import threading
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields, http
from odoo.addons.service_portal.hooks import FOUND_PARAMS_KEY, post_init_hook, uninstall_hook
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestRegistration(ServicePortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rita = cls.env["res.partner"].create(
            {"name": "Rita Match", "email": "rita@winslow.example", "parent_id": cls.winslow.id}
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _post_registration(self, **form):
        data = {
            "name": "Someone",
            "email": "someone@example.com",
            "csrf_token": http.Request.csrf_token(self),
        }
        data.update(form)
        return self.url_open("/portal/register", data=data)

    def _verification_link(self, email):
        mail = self.env["mail.mail"].search(self._mails_to(email), order="id desc", limit=1)
        self.assertTrue(mail, f"no mail to {email}")
        match = re.search(r'href="([^"]*/web/signup\?[^"]*)"', mail.body_html)
        self.assertTrue(match, "no verification link in the mail")
        return (
            match.group(1)
            .replace("&amp;", "&")
            .split("/web/signup", 1)[1]
            .join(["/web/signup", ""])
        )

    @staticmethod
    def _mails_to(email, subject=None):
        domain = ["|", ("email_to", "ilike", email), ("recipient_ids.email", "=ilike", email)]
        return domain + ([("subject", "ilike", subject)] if subject else [])

    def _follow_link_and_set_password(self, link, password="a-Strong-pass-9", **extra):
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Choose your password", page.text)
        self.assertNotIn('name="login"', page.text, "the verified email is not editable")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        return self.url_open(
            "/web/signup",
            data={
                "token": token,
                "password": password,
                "confirm_password": password,
                "csrf_token": http.Request.csrf_token(self),
                **extra,
            },
        )

    def _registration(self, email):
        return self.env["service.portal.registration"].search(
            [("email", "=", email)], order="id desc", limit=1
        )

    def test_login_page_offers_registration_and_free_signup_is_off(self):
        page = self.url_open("/web/login")
        self.assertIn('href="/portal/register"', page.text)
        signup = self.url_open("/web/signup", allow_redirects=False)
        self.assertEqual(signup.status_code, 303)
        self.assertIn("/portal/register", signup.headers["Location"])

    def test_matching_email_is_linked_at_once_after_verification(self):
        answer = self._post_registration(name="Rita M.", email="Rita@Winslow.example")
        self.assertIn("Check your inbox", answer.text)
        registration = self._registration("rita@winslow.example")
        self.assertEqual(registration.partner_id, self.rita)
        self.assertEqual(registration.state, "pending")
        self.assertFalse(self.rita.user_ids, "nothing is usable before the email is verified")
        response = self._follow_link_and_set_password(
            self._verification_link("rita@winslow.example")
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(registration.state, "linked")
        self.assertTrue(self.rita.user_ids._is_portal())
        sites = self.url_open("/my/sites")
        self.assertIn("North Campus", sites.text)
        self.assertIn("South Campus", sites.text)

    def test_new_email_waits_for_staff_then_sees_exactly_the_linked_site(self):
        self._post_registration(
            name="Newt Comer", email="newt@example.com", company_name=self.winslow.name
        )
        registration = self._registration("newt@example.com")
        self.assertFalse(registration.partner_id.parent_id)
        self._follow_link_and_set_password(self._verification_link("newt@example.com"))
        self.env.invalidate_all()
        self.assertEqual(registration.state, "waiting")
        home = self.url_open("/my")
        self.assertIn("Your access is being set up", home.text)
        for url in (
            "/my/sites",
            "/my/service-orders?filterby=all",
            "/my/equipment",
            "/my/documents",
        ):
            text = self.url_open(url).text
            for secret in (
                "North Campus",
                "Library boiler",
                "Boiler safety",
                self.north_order.name,
            ):
                self.assertNotIn(secret, text, url)
        wizard = self.env["service.portal.registration.link"].create(
            {"registration_ids": [registration.id], "partner_id": self.north.id}
        )
        wizard.action_link()
        self.assertEqual(registration.state, "linked")
        self.assertTrue(self.env["mail.mail"].search(self._mails_to("newt@example.com", "ready")))
        sites = self.url_open("/my/sites").text
        self.assertIn("North Campus", sites)
        self.assertNotIn("South Campus", sites)

    def test_refused_account_is_closed_and_told(self):
        self._post_registration(name="Random Person", email="random@example.com")
        registration = self._registration("random@example.com")
        self._follow_link_and_set_password(self._verification_link("random@example.com"))
        registration.action_refuse()
        self.assertEqual(registration.state, "refused")
        self.assertFalse(registration.user_id.active)
        self.assertTrue(self.env["mail.mail"].search(self._mails_to("random@example.com", "About")))

    def test_used_link_is_refused_with_a_clear_page(self):
        self._post_registration(name="Once Only", email="once@example.com")
        link = self._verification_link("once@example.com")
        self._follow_link_and_set_password(link)
        self.authenticate(None, None)
        again = self.url_open(link)
        self.assertIn("This link no longer works", again.text)
        self.assertIn("/portal/register/resend", again.text)

    def test_expired_link_is_refused_and_a_new_one_can_be_asked_for(self):
        self._post_registration(name="Late Comer", email="late@example.com")
        link = self._verification_link("late@example.com")
        with freeze_time(fields.Datetime.now() + timedelta(days=30)):
            expired = self.url_open(link)
            self.assertIn("This link no longer works", expired.text)
        before = self.env["mail.mail"].search_count(self._mails_to("late@example.com"))
        resent = self.url_open(
            "/portal/register/resend",
            data={"email": "late@example.com", "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertIn("Check your inbox", resent.text)
        self.assertEqual(
            self.env["mail.mail"].search_count(self._mails_to("late@example.com")), before + 1
        )
        response = self._follow_link_and_set_password(self._verification_link("late@example.com"))
        self.assertEqual(response.status_code, 200)

    def test_same_answer_for_known_and_unknown_emails(self):
        def normalized(response, email):
            text = response.text.replace(email, "EMAIL")
            return re.sub(r"[0-9a-f]{40}o[0-9]+", "CSRF", text)  # CSRF tokens differ per request

        known = self._post_registration(name="Wanda", email=self.manager_user.login)
        unknown = self._post_registration(name="Wanda", email="nobody-here@example.com")
        self.assertEqual(
            normalized(known, self.manager_user.login),
            normalized(unknown, "nobody-here@example.com"),
        )
        self.assertFalse(
            self._registration(self.manager_user.login), "no second account for a known email"
        )

    def test_rate_limit_per_address(self):
        for i in range(5):
            self.assertIn(
                "Check your inbox",
                self._post_registration(name=f"Bot {i}", email=f"bot{i}@example.com").text,
            )
        blocked = self._post_registration(name="Bot 6", email="bot6@example.com")
        self.assertIn("Too many attempts", blocked.text)
        self.assertFalse(self._registration("bot6@example.com"))

    def test_rate_limit_per_email_sends_nothing_more(self):
        Registration = self.env["service.portal.registration"]
        for _ in range(3):
            Registration._portal_register("Repeat", "repeat@example.com", ip_address=None)
        before = self.env["mail.mail"].search_count(self._mails_to("repeat@example.com"))
        answer = self._post_registration(name="Repeat", email="repeat@example.com")
        self.assertIn("Check your inbox", answer.text)
        self.assertEqual(
            self.env["mail.mail"].search_count(self._mails_to("repeat@example.com")), before
        )

    def test_bad_input_gets_a_clear_message_and_saves_nothing(self):
        cases = {
            "Enter your name": {"name": "  "},
            "valid email": {"email": "not-an-email"},
            "too long": {"name": "x" * 300},
            "may not contain": {"name": "<script>alert(1)</script>"},
        }
        for message, form in cases.items():
            with self.subTest(message=message):
                count = self.env["service.portal.registration"].search_count([])
                response = self._post_registration(**form)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertNotIn("<script>alert(1)</script>", response.text)
                self.assertEqual(self.env["service.portal.registration"].search_count([]), count)

    def test_registration_journey_in_the_browser(self):
        self.start_tour("/web/login", "service_portal_register")
        link = self._verification_link("rita@winslow.example")
        self.start_tour(link, "service_portal_verify_and_edit_profile")
        self.env.invalidate_all()
        self.assertEqual(self.rita.phone, "+1 217 555 0142")
        self.assertFalse(self.rita.service_notify_visit_reminders)
        self.assertTrue(self.rita.service_notify_order_updates)
        self.assertEqual(self._registration("rita@winslow.example").state, "linked")

    def _users(self, email):
        return (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=ilike", email.replace("_", "\\_").replace("%", "\\%"))])
        )

    def test_verification_page_keeps_the_verified_email_whatever_is_posted(self):
        self._post_registration(name="Vera Verified", email="vera@example.com")
        link = self._verification_link("vera@example.com")
        page = self.url_open(link)
        self.assertIn("vera@example.com", page.text)
        response = self._follow_link_and_set_password(
            link, login="attacker@example.com", name="Someone Else"
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertFalse(self._users("attacker@example.com"), "no login that was never verified")
        user = self._users("vera@example.com")
        self.assertEqual(len(user), 1)
        self.assertEqual(user.partner_id.name, "Vera Verified")
        self.assertEqual(self._registration("vera@example.com").state, "waiting")

    def test_registering_twice_reuses_the_pending_request(self):
        first = self._post_registration(name="Twice", email="twice@example.com")
        second = self._post_registration(name="Twice Again", email="Twice@Example.com")
        self.assertEqual(
            first.text.replace("Twice@Example.com", "twice@example.com").count("Check your inbox"),
            second.text.count("Check your inbox"),
        )
        registrations = self.env["service.portal.registration"].search(
            [("email", "=", "twice@example.com")]
        )
        self.assertEqual(len(registrations), 1)
        self.assertEqual(
            self.env["res.partner"].search_count([("email_normalized", "=", "twice@example.com")]),
            1,
        )
        self.assertEqual(
            self.env["mail.mail"].search_count(self._mails_to("twice@example.com", "verify")),
            2,
            "the second registration mails a fresh link",
        )
        self._follow_link_and_set_password(self._verification_link("twice@example.com"))
        self.env.invalidate_all()
        self.assertEqual(len(self._users("twice@example.com")), 1)

    def test_auto_link_needs_the_exact_email_of_a_real_contact(self):
        # "_" and "%" are plain characters, not patterns: no match for these look-alikes.
        self.env["res.partner"].create(
            {"name": "Under Score", "email": "a_b@winslow.example", "parent_id": self.winslow.id}
        )
        for email in ("axb@winslow.example", "a%b@winslow.example"):
            with self.subTest(email=email):
                self._post_registration(name="Look Alike", email=email)
                registration = self._registration(email)
                self.assertTrue(registration)
                self.assertFalse(registration.partner_id.parent_id, "not linked to a_b")
        # A job site, and an address of the company, are never a person's account.
        self.south.email = "south-desk@winslow.example"
        self.env["res.partner"].create(
            {
                "name": "Billing",
                "type": "invoice",
                "email": "billing@winslow.example",
                "parent_id": self.winslow.id,
            }
        )
        for email, partner in (
            ("south-desk@winslow.example", self.south),
            ("billing@winslow.example", None),
        ):
            with self.subTest(email=email):
                self._post_registration(name="Site Grabber", email=email)
                registration = self._registration(email)
                self.assertTrue(registration)
                self.assertFalse(registration.partner_id.parent_id)
                self.assertFalse(registration.partner_id.service_is_job_site)
                if partner:
                    self.assertNotEqual(registration.partner_id, partner)
                self._follow_link_and_set_password(self._verification_link(email))
                self.env.invalidate_all()
                self.assertEqual(registration.state, "waiting")
                self.assertFalse(self.south.with_context(active_test=False).user_ids)
                sites = self.url_open("/my/sites").text
                self.assertNotIn("South Campus", sites)
                self.authenticate(None, None)
        # nor a contact of the service company itself
        self.env["res.partner"].create(
            {
                "name": "Staff Contact",
                "email": "staff-contact@example.com",
                "parent_id": self.env.company.partner_id.id,
            }
        )
        self._post_registration(name="Staff Contact", email="staff-contact@example.com")
        self.assertFalse(self._registration("staff-contact@example.com").partner_id.parent_id)
        # the exact address of a real contact still links at once (the network's hourly
        # allowance is spent by now: start a new hour)
        self.env["service.portal.attempt"].search([]).unlink()
        self._post_registration(name="Under Score", email="A_B@winslow.example")
        self.assertEqual(
            self._registration("a_b@winslow.example").partner_id.parent_id, self.winslow
        )

    def test_existing_account_counts_against_the_rate_limit(self):
        partner = self.manager_user.partner_id
        resets = 0
        for _ in range(5):
            partner.signup_type = False
            answer = self._post_registration(name="Wanda", email=self.manager_user.login)
            self.assertIn("Check your inbox", answer.text)
            self.env.invalidate_all()
            resets += partner.signup_type == "reset"  # set by Odoo when it mails a reset link
        self.assertEqual(resets, 3, "three reset mails an hour at most for one address")
        self.assertEqual(
            self.env["service.portal.attempt"].search_count(
                [("email", "=", self.manager_user.login)]
            ),
            5,
        )
        blocked = self._post_registration(name="Wanda", email=self.manager_user.login)
        self.assertIn("Too many attempts", blocked.text)

    def _waiting_account(self, email="waiting@example.com"):
        self._post_registration(name="Walter Waiting", email=email, company_name="Winslow")
        self._follow_link_and_set_password(self._verification_link(email))
        self.env.invalidate_all()
        registration = self._registration(email)
        self.assertEqual(registration.state, "waiting")
        return registration.user_id

    def test_waiting_account_sees_only_the_waiting_page_on_every_portal_route(self):
        user = self._waiting_account()
        home = self.url_open("/my")
        self.assertIn("Waiting for your service company", home.text)
        self.assertNotIn("o_portal_docs", home.text, "no cards leading to empty pages")
        routes = set()
        # the routing map is built for the database of the current thread
        with patch.object(threading.current_thread(), "dbname", self.env.cr.dbname, create=True):
            rules = list(self.env["ir.http"].routing_map().iter_rules())
        for rule in rules:
            if rule.rule.startswith("/my/") and rule.endpoint.routing.get("type") == "http":
                url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", rule.rule)  # its first choice
                routes.add((re.sub(r"<[^>]+>", "1", url), tuple(rule.methods or ("GET",))))
        self.assertIn(("/my/sites/1", ("GET",)), routes)
        checked = 0
        for url, methods in sorted(routes):
            if url in ("/my/home", "/my/account/confirm-email"):
                continue
            for method in methods:
                if method not in ("GET", "POST"):
                    continue
                with self.subTest(url=url, method=method):
                    data = {"csrf_token": http.Request.csrf_token(self)}
                    response = (
                        self.url_open(url, data=data, allow_redirects=False)
                        if method == "POST"
                        else self.url_open(url, allow_redirects=False)
                    )
                    self.assertIn(response.status_code, (303, 302), url)
                    self.assertTrue(response.headers["Location"].endswith("/my"), url)
                    checked += 1
        self.assertGreater(checked, 30)
        self.assertEqual(user.partner_id.with_context(active_test=False).user_ids, user)


@tagged("post_install", "-at_install")
class TestSignupParametersPutBack(TransactionCase):
    """Odoo's free sign-up is closed while the addon is installed, and left as found."""

    def test_uninstall_puts_back_what_install_found(self):
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("auth_signup.invitation_scope"), "b2b")
        params.set_param("auth_signup.invitation_scope", "b2c")
        params.set_param("auth_signup.reset_password", False)
        post_init_hook(self.env)
        self.assertEqual(params.get_param("auth_signup.invitation_scope"), "b2b")
        self.assertEqual(params.get_param("auth_signup.reset_password"), "True")
        uninstall_hook(self.env)
        self.assertEqual(params.get_param("auth_signup.invitation_scope"), "b2c")
        self.assertFalse(params.get_param("auth_signup.reset_password"))
        self.assertFalse(params.get_param(FOUND_PARAMS_KEY))

    def test_upgrade_does_not_undo_the_administrators_choice(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("auth_signup.invitation_scope", "b2c")
        # an upgrade loads the data files again (those that are not noupdate)
        manifest = get_manifest("service_portal")
        for filename in manifest["data"]:
            if filename.startswith("data/"):
                convert_file(self.env, "service_portal", filename, {}, mode="update")
        self.assertEqual(params.get_param("auth_signup.invitation_scope"), "b2c")
