from odoo import http
from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.exceptions import UserError
from odoo.http import request


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
                values["error"] = error.args[0]
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
            values["error"] = error.args[0]
            return request.render("service_portal.portal_register_invalid_link", values)
        return request.render("service_portal.portal_register_sent", values)

    @http.route()
    def web_auth_signup(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if qcontext.get("invalid_token"):
            return request.render(
                "service_portal.portal_register_invalid_link", self._registration_values()
            )
        if not qcontext.get("token") and not qcontext.get("signup_enabled"):
            return request.redirect("/portal/register")
        return super().web_auth_signup(*args, **kw)
