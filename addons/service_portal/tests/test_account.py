import json
import re

from odoo import http
from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalAccount(ServicePortalHttpCase):
    def setUp(self):
        super().setUp()
        self.login_as(self.north_user)
        self.contact = self.north_user.partner_id
        self.north_email = self.north_user.login  # the contact's email is its login

    def _submit_account(self, **changes):
        contact = self.contact
        form = {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone or "",
            "street": contact.street or "",
            "street2": contact.street2 or "",
            "city": contact.city or "",
            "zip": contact.zip or "",
            "state_id": str(contact.state_id.id or ""),
            "country_id": str(contact.country_id.id or ""),
            "address_type": "billing",
            "use_delivery_as_billing": "true",
            "callback": "/my",
            "required_fields": "name,email",
            "partner_id": str(contact.id),
            "csrf_token": http.Request.csrf_token(self),
        }
        form.update(changes)
        response = self.url_open("/my/address/submit", data=form)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        return json.loads(response.text)

    def _switch(self, use):
        token = http.Request.csrf_token(self)
        return self.url_open(f"/my/account/company-address?use={use}&csrf_token={token}")

    def test_company_address_is_read_only_and_never_overwritten(self):
        self.assertTrue(self.contact.service_use_company_address)
        page = self.url_open("/my/account")
        self.assertIn("Use the address of North Campus", page.text)
        self.assertRegex(page.text, r'name="street"[^>]*readonly')
        feedback = self._submit_account(street="1 Hijack Road", phone="+1 217 555 0177")
        self.assertIn("redirectUrl", feedback)
        self.assertEqual(
            self.north.street, "200 North Avenue", "the site's address must not change"
        )
        self.assertEqual(self.contact.street, "200 North Avenue")
        self.assertEqual(self.contact.phone, "+1 217 555 0177")

    def test_switch_off_gives_an_own_address_and_back_on_restores_the_company_one(self):
        self._switch(0)
        self.env.invalidate_all()
        self.assertFalse(self.contact.service_use_company_address)
        page = self.url_open("/my/account")
        self.assertNotRegex(page.text, r'name="street"[^>]*readonly')
        self._submit_account(street="7 Home Lane", city="Capital City")
        self.assertEqual(self.contact.street, "7 Home Lane")
        self.assertEqual(self.north.street, "200 North Avenue")
        self._switch(1)
        self.env.invalidate_all()
        self.assertTrue(self.contact.service_use_company_address)
        self.assertEqual(self.contact.street, "200 North Avenue")
        self.assertEqual(self.north.street, "200 North Avenue")

    def test_switch_needs_the_csrf_token(self):
        response = self.url_open("/my/account/company-address?use=0&csrf_token=forged")
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertTrue(self.contact.service_use_company_address)

    def test_email_change_waits_for_the_new_address_to_be_verified(self):
        feedback = self._submit_account(email="nick.new@example.com")
        # the account page says so once (the outcome, never a query parameter), and tells
        # of the pending change as long as it is pending
        self.assertEqual(feedback["redirectUrl"], "/my/account")
        self.assertEqual(self.contact.email, self.north_email)
        self.assertEqual(self.contact.service_pending_email, "nick.new@example.com")
        page = self.url_open("/my/account").text
        self.assertIn('id="service_email_change_sent"', page)
        self.assertIn("follow the link we sent to nick.new@example.com", page)
        self.assertIn("We sent a link to", page)
        again = self.url_open("/my/account").text
        self.assertNotIn('id="service_email_change_sent"', again, "said once")
        self.assertIn("We sent a link to", again)
        mail = self.env["mail.mail"].search(
            [("subject", "=", "Confirm your new email address")], order="id desc", limit=1
        )
        self.assertEqual(mail.email_to, "nick.new@example.com")
        self.assertFalse(mail.recipient_ids, "the link must go to the new address only")
        link = re.search(r'(/my/account/confirm-email\?token=[^"&]+)', mail.body_html).group(1)
        done = self.url_open(link)
        self.assertIn("Your email is changed", done.text)
        self.env.invalidate_all()
        self.assertEqual(self.contact.email, "nick.new@example.com")
        self.assertEqual(self.north_user.login, "nick.new@example.com")
        again = self.url_open(link)
        self.assertIn("already used", again.text)

    def test_email_change_to_another_users_login_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": "Ghost",
                "login": "ghost@elsewhere.example",
                "company_id": other_company.id,
                "company_ids": [other_company.id],
                "active": False,
            }
        )
        for taken in (self.parkway_user.login.title(), "GHOST@elsewhere.example"):
            with self.subTest(email=taken):
                mails = self.env["mail.mail"].search_count([])
                feedback = self._submit_account(email=taken)
                self.assertNotIn("redirectUrl", feedback)
                self.assertIn("already used to sign in", " ".join(feedback["messages"]))
                self.assertEqual(self.contact.email, self.north_email)
                self.assertFalse(self.contact.service_pending_email)
                self.assertEqual(self.env["mail.mail"].search_count([]), mails, "no link sent")

    def test_email_taken_before_the_link_is_followed_is_refused_and_nothing_changes(self):
        self._submit_account(email="nick.later@example.com")
        mail = self.env["mail.mail"].search(
            [("subject", "=", "Confirm your new email address")], order="id desc", limit=1
        )
        link = re.search(r'(/my/account/confirm-email\?token=[^"&]+)', mail.body_html).group(1)
        # meanwhile, another account takes the address as its login (other letter case)
        squatter = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create({"name": "Squatter", "login": "Nick.Later@example.com", "active": False})
        )
        refused = self.url_open(link)
        self.assertEqual(refused.status_code, 200)
        self.assertIn("This link does not work", refused.text)
        self.assertIn("already used to sign in", refused.text)
        self.env.invalidate_all()
        self.assertEqual(self.contact.email, self.north_email)
        self.assertEqual(self.north_user.login, self.north_email)
        self.assertEqual(
            self.env["res.users"]
            .with_context(active_test=False)
            .search_count([("login", "=ilike", "nick.later@example.com")]),
            1,
            "one login per address",
        )
        self.assertEqual(squatter.login, "Nick.Later@example.com")
        # the owner still signs in with the old address
        self.authenticate(self.north_email, self.PASSWORDS[self.north_email])
        self.assertEqual(self.url_open("/my/account").status_code, 200)

    def test_bad_email_change_link_is_refused(self):
        response = self.url_open("/my/account/confirm-email?token=forged")
        self.assertEqual(response.status_code, 200)
        self.assertIn("This link does not work", response.text)

    def test_invalid_new_email_is_refused_and_nothing_changes(self):
        feedback = self._submit_account(email="not an email")
        self.assertIn("messages", feedback)
        self.assertEqual(self.contact.email, self.north_email)
        self.assertFalse(self.contact.service_pending_email)

    def test_bad_input_on_the_account_form_saves_nothing(self):
        cases = {
            "too long": {"name": "N" * 300},
            "may not contain": {"name": "<script>alert(1)</script>"},
            "phone too long": {"phone": "1" * 80},
            "missing name": {"name": ""},
        }
        for label, changes in cases.items():
            with self.subTest(label=label):
                feedback = self._submit_account(**changes)
                self.assertIn("messages", feedback, label)
                self.assertEqual(self.contact.name, "Nick Northcott")
                self.assertNotEqual(self.contact.phone, "1" * 80)


@tagged("post_install", "-at_install")
class TestOdooAccessToolsStillWork(ServicePortalHttpCase):
    def test_staff_invite_and_revoke_with_odoos_portal_wizard(self):
        contact = self.env["res.partner"].create(
            {"name": "Ivy Invited", "email": "ivy@winslow.example", "parent_id": self.south.id}
        )
        wizard = self.env["portal.wizard"].create({"partner_ids": [contact.id]})
        wizard_user = wizard.user_ids.filtered(lambda line: line.partner_id == contact)
        wizard_user.action_grant_access()
        self.assertTrue(contact.user_ids._is_portal())
        self.assertEqual(
            self.env["service.order"]
            .with_user(contact.user_ids)
            .search([("id", "=", self.south_order.id)]),
            self.south_order,
        )
        wizard_user.action_revoke_access()
        self.assertFalse(contact.with_context(active_test=False).user_ids.filtered("active"))

    def test_password_reset_by_email(self):
        self.authenticate(None, None)
        response = self.url_open(
            "/web/reset_password",
            data={"login": self.north_user.login, "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("we sent it a link to reset its password", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.north_user.partner_id.sudo().signup_type, "reset")

    def test_password_reset_answers_the_same_for_known_and_unknown_addresses(self):
        self.authenticate(None, None)

        def answer(login):
            response = self.url_open(
                "/web/reset_password",
                data={"login": login, "csrf_token": http.Request.csrf_token(self)},
            )
            self.assertEqual(response.status_code, 200)
            text = response.text.replace(login, "LOGIN")
            return re.sub(r"[0-9a-f]{40}o[0-9]+", "CSRF", text)

        known = answer(self.north_user.login)
        self.assertEqual(answer("nobody-at-all@example.com"), known)
        self.assertNotIn("No account found", known)
        # every attempt counts, whether the address has an account or not
        for i in range(8):
            answer(f"probe{i}@example.com")
        self.assertIn("Too many attempts", answer("one-more@example.com"))
        self.assertIn("Too many attempts", answer(self.north_user.login))
