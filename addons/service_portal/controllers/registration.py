from odoo import http
from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.auth_signup.models.res_users import SignupError
from odoo.exceptions import UserError
from odoo.http import request

from ..exceptions import error_field


class ServicePortalRegistration(AuthSignupHome):
    """Self-registration with email verification, in front of Odoo's signup.

    The form records a request and mails Odoo's own signup link; following it (Odoo's
    /web/signup?token=...) is the verification: the person sets a password there.
    """

    def _registration_values(self, **extra):
        return {"page_name": "service_register", **self.get_auth_signup_config(), **extra}

    @http.route(
        "/portal/register",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def portal_register(self, name=None, email=None, phone=None, company_name=None, **_kwargs):
        if not request.env.user._is_public():
            return request.redirect("/my")
        values = self._registration_values(
            name=name, email=email, phone=phone, company_name=company_name
        )
        if request.httprequest.method == "POST":
            try:
                request.env["service.portal.registration"].sudo()._portal_register(
                    name,
                    email,
                    phone=phone,
                    company_name=company_name,
                    ip_address=request.httprequest.remote_addr,
                )
            except UserError as error:
                request.env.cr.rollback()
                values.update(error=error.args[0], error_field=error_field(error))
            else:
                return request.render("service_portal.portal_register_sent", values)
        return request.render("service_portal.portal_register", values)

    @http.route(
        "/portal/register/resend",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["POST"],
    )
    def portal_register_resend(self, email=None, **_kwargs):
        values = self._registration_values(email=email)
        try:
            request.env["service.portal.registration"].sudo()._portal_resend_verification(
                email, ip_address=request.httprequest.remote_addr
            )
        except UserError as error:
            request.env.cr.rollback()
            values.update(error=error.args[0], error_field=error_field(error))
            return request.render("service_portal.portal_register_invalid_link", values)
        return request.render("service_portal.portal_register_sent", values)

    @http.route()
    def web_auth_signup(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if qcontext.get("invalid_token"):
            return request.render(
                "service_portal.portal_register_invalid_link", self._registration_values()
            )
        registration = (
            request.env["service.portal.registration"]
            .sudo()
            ._from_signup_token(qcontext.get("token"))
        )
        if registration:
            return self._choose_password(qcontext, registration.email, registration.partner_id.name)
        # An invitation (staff's portal wizard, a customer's admin): the same page, for the
        # login the invitation was sent to.
        invited = request.env["res.users"].sudo()._service_invited_by_token(qcontext.get("token"))
        if invited:
            return self._choose_password(qcontext, invited.login, invited.name)
        if not qcontext.get("token") and not qcontext.get("signup_enabled"):
            return request.redirect("/portal/register")
        return super().web_auth_signup(*args, **kw)

    def _choose_password(self, qcontext, email, name):
        """After the verification link: the person only chooses a password; the login is
        the verified address (never one posted with the form)."""
        values = self._registration_values(token=qcontext["token"], email=email, name=name)
        if request.httprequest.method == "POST":
            qcontext.update(login=email, name=name)
            try:
                self.do_signup(qcontext)
            except (UserError, SignupError, AssertionError) as error:
                request.env.cr.rollback()
                values["error"] = (
                    error.args[0]
                    if isinstance(error, UserError)
                    else request.env._("Your account could not be created: ask for a new link.")
                )
                # the passwords are the only fields: a refusal of the form is about them
                values["error_field"] = "password" if isinstance(error, UserError) else None
            else:
                return request.redirect("/my")
        response = request.render("service_portal.portal_register_choose_password", values)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    @http.route()
    def web_auth_reset_password(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if (
            request.httprequest.method != "POST"
            or qcontext.get("token")
            or "error" in qcontext
            or not qcontext.get("reset_password_enabled")
        ):
            return super().web_auth_reset_password(*args, **kw)
        # Asking for a reset link: one answer whether an account exists or not.
        try:
            request.env["res.users"].sudo()._service_portal_reset_password(
                qcontext.get("login"), ip_address=request.httprequest.remote_addr
            )
        except UserError as error:
            request.env.cr.rollback()
            qcontext["error"] = error.args[0]
        else:
            qcontext["message"] = request.env._(
                "If an account uses this address, we sent it a link to reset its password. "
                "Nothing received after a few minutes? Check your spam folder."
            )
        response = request.render("auth_signup.reset_password", qcontext)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response
