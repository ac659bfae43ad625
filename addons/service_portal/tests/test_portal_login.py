from odoo import http
from odoo.tests import HttpCase, tagged

from .common import DEMO_TAG, ServicePortalHttpCase

DEMO_PORTAL_LOGINS = {
    "manager@winslow.example": ("winslow", "Wanda Winslow"),
    "north@winslow.example": ("north", "Nick Northcott"),
    "owner@parkway.example": ("parkway", "Paula Parker"),
}


class LoginFormMixin:
    def _login_with_form(self, login, password):
        self.authenticate(None, None)
        return self.url_open(
            "/web/login",
            data={
                "login": login,
                "password": password,
                "csrf_token": http.Request.csrf_token(self),
            },
        )


@tagged("post_install", "-at_install")
class TestPortalLogin(LoginFormMixin, ServicePortalHttpCase):
    def test_portal_users_log_in_with_their_password_and_reach_my(self):
        for user in self.manager_user | self.north_user | self.parkway_user:
            with self.subTest(login=user.login):
                response = self._login_with_form(user.login, self.PASSWORDS[user.login])
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.request.path_url, "/my")
                self.assertIn(user.name, response.text)

    def test_wrong_password_is_refused(self):
        response = self._login_with_form(self.north_user.login, "not-the-password")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.request.path_url, "/web/login")
        self.assertIn("Wrong login/password", response.text)
        self.assertEqual(self.url_open("/my", allow_redirects=False).status_code, 303)


@tagged("post_install", "-at_install", DEMO_TAG)
class TestDemoPortalLogin(LoginFormMixin, HttpCase):
    """The demo logins and passwords the README gives, typed in the browser."""

    def test_demo_portal_users_log_in_with_their_password_and_reach_my(self):
        for login, (password, name) in DEMO_PORTAL_LOGINS.items():
            with self.subTest(login=login):
                response = self._login_with_form(login, password)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.request.path_url, "/my")
                self.assertIn(name, response.text)

    def test_login_form_in_browser(self):
        self.start_tour("/web/login", "service_portal_login")
