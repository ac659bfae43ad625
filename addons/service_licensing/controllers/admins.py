"""Admins: the owner and the secondary owners of the customer's account, who add and remove
secondary owners. The models decide; these routes parse, run and redirect."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.service_portal.controllers import inputs, outcome
from odoo.http import request

from .portal import ACCOUNT_REFUSALS, ServiceLicensingPortal

ADMINS_URL = "/my/admins"


class ServiceLicensingAdmins(ServiceLicensingPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        self._service_admin_counter(
            values,
            counters,
            "service_admin_count",
            lambda customer: len(customer._service_licensing_admins()),
        )
        return values

    @http.route(
        "/my/admins", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_admins(self, **_kw):
        customer = self._service_admin_customer()
        values = self._account_page_values(
            "service_admins",
            customer,
            admins=customer._service_licensing_admins(),
        )
        return request.render("service_licensing.portal_my_admins", values)

    @http.route("/my/admins/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_add_admin(self, name=None, email=None, **_kw):
        customer = self._service_admin_customer()
        return self._service_action(
            ADMINS_URL,
            request.env["res.partner"]._service_add_admin,
            customer,
            name,
            email,
            form=inputs.kept_form(500, name=name, email=email),
            message=request.env._(
                "The admin is added: they receive an invitation to verify their email and set "
                "up their access."
            ),
            key="service_admin_added",
            refusals=ACCOUNT_REFUSALS,
        )

    @http.route(
        "/my/admins/<int:partner_id>/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_remove_admin(self, partner_id, **_kw):
        customer = self._service_admin_customer()
        partner = customer._service_licensing_admins().filtered(
            lambda admin: admin.id == partner_id
        )
        if not partner:
            raise NotFound()
        done, _result = self._service_try(
            partner.sudo(False)._service_remove_admin, refusals=ACCOUNT_REFUSALS
        )
        if not done:
            return request.redirect(ADMINS_URL)
        if partner == request.env.user.partner_id:
            # no longer an admin: the admins page is not theirs anymore
            return request.redirect("/my")
        outcome.success(request.env._("The admin is removed."), key="service_admin_removed")
        return request.redirect(ADMINS_URL)
