from odoo import http
from odoo.tests import HttpCase, tagged

from .common import LicensingSetupMixin, PortalOutcomeMixin


@tagged("post_install", "-at_install")
class TestPortalAdmins(PortalOutcomeMixin, LicensingSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def test_owner_adds_a_secondary_owner_who_is_invited(self):
        self._login(self.owner)
        page = self.url_open("/my/admins")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Olive Owner", page.text)
        self.assertIn("Sam Second", page.text)
        self.assert_done(
            "/my/admins/add",
            {"name": "Nina New", "email": "Nina@Acme.example"},
            "/my/admins",
            "The admin is added",
        )
        user = self.env["res.users"].search([("login", "=", "nina@acme.example")])
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.parent_id, self.customer)
        self.assertEqual(user.partner_id.service_admin_role, "secondary")
        self.assertFalse(user.service_technician_account)
        invitation = self.env["mail.mail"].search([("email_to", "=", "nina@acme.example")])
        self.assertEqual(len(invitation), 1)
        # The new admin manages the account at once.
        user.password = "nina-password"
        self.authenticate("nina@acme.example", "nina-password")
        self.assertEqual(self.url_open("/my/purchases").status_code, 200)

    def test_an_existing_contact_becomes_admin(self):
        self._login(self.secondary)
        response = self._post("/my/admins/add", {"name": "Carl", "email": "carl@acme.example"})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.contact.partner_id.service_admin_role, "secondary")
        self.assertEqual(self.contact.partner_id.name, "Carl Contact", "not renamed")

    def test_bad_or_foreign_emails_are_refused_with_a_message(self):
        self._login(self.owner)
        cases = [
            {"name": "", "email": "x@acme.example"},
            {"name": "X", "email": "not an email"},
            {"name": "Sam", "email": "sam@acme.example"},
        ]
        for data in cases:
            with self.subTest(data=data):
                page = self.assert_refused("/my/admins/add", data, "/my/admins")
                # what was typed is there again
                self.assertIn(f'value="{data["email"]}"', page.text)
        self.assertFalse(self.other_owner.partner_id.parent_id == self.customer)
        self.assertEqual(self.other_owner.partner_id.service_admin_role, "owner")

    def test_one_answer_whether_the_address_has_an_account_elsewhere_or_none(self):
        """The form is no oracle: another organisation's login, a staff login and an unknown
        address get the same answer and the same listing; only the owner of a taken address
        learns, by email, that nothing was given."""
        self._login(self.owner)

        def add(name, email):
            page = self.assert_done(
                "/my/admins/add", {"name": name, "email": email}, "/my/admins", "The admin is added"
            ).text
            return page.replace(email, "EMAIL").replace(name, "NAME")

        taken = add("Gina", "gina@globex.example")
        staff = add("Mitchell", self.env.ref("base.user_admin").email)
        free = add("Fred", "fred@acme.example")
        for page, other in ((taken, "gina@globex.example"), (staff, "staff")):
            with self.subTest(other=other):
                self.assertIn("NAME", page)
                self.assertIn("EMAIL", page)
                self.assertNotIn("already used", page)
        self.assertEqual(self.other_owner.partner_id.commercial_partner_id, self.other_customer)
        self.assertEqual(self.other_owner.partner_id.service_admin_role, "owner")
        self.assertNotIn("already used", free)
        gina_contact = self.env["res.partner"].search(
            [("email", "=", "gina@globex.example"), ("parent_id", "=", self.customer.id)]
        )
        self.assertFalse(gina_contact.with_context(active_test=False).user_ids, "no access")
        notice = self.env["mail.mail"].search([("email_to", "=", "gina@globex.example")])
        self.assertIn("already belongs to another account", notice.body_html)
        # the admin of Acme gains nothing over Gina's account
        self.assertFalse(self.other_owner.partner_id.service_admin_customer_id == self.customer)

    def test_secondary_owner_removes_a_secondary_but_never_the_owner(self):
        nina = self.env["res.partner"]._service_add_admin(
            self.customer, "Nina New", "nina@acme.example"
        )
        self._login(self.secondary)
        self.assert_refused(
            f"/my/admins/{self.owner.partner_id.id}/remove",
            {},
            "/my/admins",
            "The owner cannot be removed",
        )
        self.assertEqual(self.owner.partner_id.service_admin_role, "owner")
        self.assert_done(f"/my/admins/{nina.id}/remove", {}, "/my/admins", "The admin is removed")
        self.assertFalse(nina.service_admin_role)

    def test_non_admins_and_other_customers_get_not_found(self):
        routes = [
            ("GET", "/my/admins"),
            ("POST", "/my/admins/add"),
            ("POST", f"/my/admins/{self.secondary.partner_id.id}/remove"),
        ]
        self._login(self.contact)
        for method, url in routes:
            with self.subTest(user="contact", url=url):
                if method == "GET":
                    response = self.url_open(url, allow_redirects=False)
                else:
                    response = self._post(url, {"name": "Evil", "email": "evil@acme.example"})
                self.assertEqual(response.status_code, 404)
        self._login(self.other_owner)
        response = self._post(f"/my/admins/{self.secondary.partner_id.id}/remove")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Sam Second", self.url_open("/my/admins").text)
        self.assertEqual(self.secondary.partner_id.service_admin_role, "secondary")
        self.assertFalse(self.env["res.users"].search([("login", "=", "evil@acme.example")]))
