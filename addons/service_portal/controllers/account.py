from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from . import outcome
from .portal import ServicePortal


class ServicePortalAccount(ServicePortal):
    """The contact's account: address and email change, notification preferences."""

    # ------------------------------------------------------------------
    # Address and email change
    # ------------------------------------------------------------------

    def _create_or_update_address(self, partner_sudo, **form_data):
        form_data, new_email = partner_sudo._service_portal_address_values(form_data)
        partner_sudo, feedback = super()._create_or_update_address(partner_sudo, **form_data)
        if new_email and "redirectUrl" in feedback:
            try:
                partner_sudo._portal_request_email_change(new_email)
            except UserError as error:
                request.env.cr.rollback()
                return partner_sudo, {"invalid_fields": ["email"], "messages": [error.args[0]]}
            outcome.success(
                request.env._(
                    "Your details are saved. Your email changes once you follow the link we "
                    "sent to %(email)s.",
                    email=new_email,
                ),
                key="service_email_change_sent",
            )
            feedback["redirectUrl"] = "/my/account"
        return partner_sudo, feedback

    def _prepare_address_data(self, partner_sudo, **kwargs):
        """The address book of a portal user lists their own partner, their company and the
        addresses they may edit: not the job sites or the colleagues that Odoo's list of the
        commercial partner's addresses would show."""
        data = super()._prepare_address_data(partner_sudo, **kwargs)
        if request.env.user.share:
            commercial = partner_sudo.commercial_partner_id
            for key in ("billing_addresses", "delivery_addresses"):
                data[key] = data[key].filtered(
                    lambda address: (
                        address in (partner_sudo | commercial)
                        or address._can_be_edited_by_current_customer()
                    )
                )
        return data

    def _validate_address_values(self, address_values, partner_sudo, *args, **kwargs):
        invalid_fields, missing_fields, error_messages = super()._validate_address_values(
            address_values, partner_sudo, *args, **kwargs
        )
        invalid, messages = request.env["res.partner"]._service_check_address_values(address_values)
        invalid_fields |= invalid
        error_messages.extend(messages)
        return invalid_fields, missing_fields, error_messages

    @http.route(
        ["/my/account/company-address"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_use_company_address(self, use=None, csrf_token=None, **_kwargs):
        if not request.validate_csrf(csrf_token):
            raise request.not_found()
        request.env.user.partner_id._portal_set_use_company_address(use == "1")
        return request.redirect("/my/account")

    @http.route(["/my/account/confirm-email"], type="http", auth="public", website=True)
    def portal_confirm_email(self, token=None, **_kwargs):
        try:
            # an error undoes whatever was written before it: nothing half-applied
            with request.env.cr.savepoint():
                request.env["res.partner"]._portal_confirm_email_change(token)
        except UserError as error:
            return request.render(
                "service_portal.portal_email_change_result", {"error": error.args[0]}
            )
        return request.render("service_portal.portal_email_change_result", {"error": None})

    # ------------------------------------------------------------------
    # Notification preferences
    # ------------------------------------------------------------------

    @http.route(
        ["/my/notifications"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_my_notifications(self, **post):
        partner = request.env.user.partner_id
        if request.httprequest.method == "POST":
            partner._portal_set_notification_preferences(
                {field for field, value in post.items() if value}
            )
            outcome.success(
                request.env._("Your preferences are saved."), key="service_preferences_saved"
            )
            return request.redirect("/my/notifications")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_notifications",
                "preferences": dict(partner._service_notification_preferences().values()),
                "partner": partner,
            }
        )
        return request.render("service_portal.portal_my_notifications", values)
