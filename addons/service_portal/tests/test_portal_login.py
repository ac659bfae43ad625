from odoo import http
from odoo.tests import HttpCase, tagged

DEMO_PORTAL_LOGINS = {
    "manager@winslow.example": ("winslow", "Wanda Winslow"),
    "north@winslow.example": ("north", "Nick Northcott"),
    "owner@parkway.example": ("parkway", "Paula Parker"),
}


@tagged("post_install", "-at_install")
class TestPortalLogin(HttpCase):
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

    def test_demo_portal_users_log_in_with_their_password_and_reach_my(self):
        for login, (password, name) in DEMO_PORTAL_LOGINS.items():
            with self.subTest(login=login):
                response = self._login_with_form(login, password)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.request.path_url, "/my")
                self.assertIn(name, response.text)

    def test_wrong_password_is_refused(self):
        response = self._login_with_form("north@winslow.example", "not-the-password")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.request.path_url, "/web/login")
        self.assertIn("Wrong login/password", response.text)
        self.assertEqual(self.url_open("/my", allow_redirects=False).status_code, 303)

    def test_login_form_in_browser(self):
        self.start_tour("/web/login", "service_portal_login")
