"""Arrival windows on the portal request form: the window picker of service_portal, for the
job site chosen, on the natures of request that need a visit (issue #16)."""

from odoo import http
from odoo.addons.service_portal.controllers import inputs
from odoo.http import request

from .request_form import HelpdeskRequestForm
from .requests import HelpdeskRequests


class HelpdeskRequestWindows(HelpdeskRequestForm, HelpdeskRequests):
    def _request_window_site(self, ticket_type, site_id):
        """The job site the windows are computed for: the contact's own site, else the one
        picked in the form when it is one of the contact's (else none)."""
        own_site = request.env.user.partner_id._service_job_site()
        if own_site or ticket_type.site_mode == "hidden":
            return own_site
        site_id = inputs.parse_id(site_id)
        sites = request.env["service.ticket"]._portal_request_sites()
        return sites.filtered(lambda site: site.id == site_id)

    def _request_window_values(self, ticket_type, site, picked=None):
        Ticket = request.env["service.ticket"]
        needs_visit = Ticket._visit_allowed(ticket_type)
        partner = request.env.user.partner_id.service_customer_id
        waits_for_site = bool(needs_visit and not site and ticket_type.site_mode != "hidden")
        offered, tz = (
            Ticket._portal_visit_offer(ticket_type, partner, site)
            if needs_visit and not waits_for_site
            else ([], False)
        )
        return {
            "request_needs_visit": needs_visit,
            "request_waits_for_site": waits_for_site,
            "arrival_offered": offered,
            "arrival_tz": tz,
            "arrival_picked": picked or [],
        }

    def _prepare_request_form_values(self, ticket_type=None, form=None):
        values = super()._prepare_request_form_values(ticket_type, form=form)
        if ticket_type:
            site = self._request_window_site(ticket_type, values["form"].get("site_id"))
            picked = values["form"].get("windows") or []
            values.update(self._request_window_values(ticket_type, site, picked))
            if values["errors"].get("windows"):
                values["arrival_error_id"] = "windows_error"
        return values

    def _request_form_kept(self, form):
        # the windows picked stay picked (a list: the form sends one value per window)
        return {**super()._request_form_kept(form), "windows": self._request_form_windows()}

    def _request_form_windows(self):
        return [key for key in request.httprequest.form.getlist("windows") if isinstance(key, str)]

    def _request_form_create(self, ticket_type, form, uploads):
        ticket = super()._request_form_create(ticket_type, form, uploads)
        windows = self._request_form_windows()
        if windows:
            ticket._portal_request_visit(windows)
        return ticket

    def _request_get_page_view_values(self, ticket_sudo, access_token, **kwargs):
        values = super()._request_get_page_view_values(ticket_sudo, access_token, **kwargs)
        values.update(ticket_sudo._portal_visit_values())
        # the visit's own page, only for those who read it (not through a token)
        values["visit_order_readable"] = bool(
            values["visit_order"]
            and not request.env.user._is_public()
            and values["visit_order"].with_user(request.env.user).has_access("read")
        )
        return values

    @http.route(
        "/my/requests/new/windows/<int:type_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_new_request_windows(self, type_id=None, site_id=None, **_kw):
        """The window picker of the form for another job site (the form's script asks for it
        when the site changes)."""
        ticket_type = self._get_request_type(type_id)
        if not ticket_type:
            return request.not_found()
        site = self._request_window_site(ticket_type, site_id)
        if site_id and not site and not request.env.user.partner_id._service_job_site():
            return request.not_found()
        values = self._request_window_values(ticket_type, site)
        return request.render("service_helpdesk.request_window_picker", values)
