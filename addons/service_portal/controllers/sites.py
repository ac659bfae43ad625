from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .portal import ServicePortal


class ServicePortalSites(ServicePortal):
    """Job sites: the list and a site's page with its tabs."""

    @http.route(
        ["/my/sites", "/my/sites/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_sites(self, page=1, **_kwargs):
        Partner = request.env["res.partner"]
        # one search for the count and the page (ids only, in the list's order): the scope's
        # job sites are found once instead of twice
        site_ids = Partner._service_portal_sites().ids
        pager = portal_pager(
            url="/my/sites", total=len(site_ids), page=page, step=self._service_items_per_page
        )
        offset = pager["offset"]
        sites = Partner.sudo().browse(site_ids[offset : offset + self._service_items_per_page])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "sites": sites,
                "activity_counts": Partner._service_site_activity_counts(sites),
                "pager": pager,
                "page_name": "service_sites",
                "default_url": "/my/sites",
            }
        )
        return request.render("service_portal.portal_my_sites", values)

    def _service_site_tabs(self, sections):
        """Tabs of a site page: {key: label}. Other addons add theirs."""
        tabs = {"service": request.env._("Service"), "install": request.env._("Install")}
        if sections["equipment"]:
            tabs["equipment"] = request.env._("Equipment")
        if sections["documents"]:
            tabs["documents"] = request.env._("Documents")
        return tabs

    def _service_site_or_404(self, site_id):
        """The job site ``site_id`` when it is in the user's scope, else 404."""
        site = request.env["res.partner"]._service_portal_sites(site_ids=[site_id])
        if not site:
            raise request.not_found()
        return site

    def _service_site_tab_values(self, site, tab):
        """The template values of a site tab: the records the model lists for it."""
        records = request.env["res.partner"]._service_site_tab_records(site, tab)
        values = {}
        if "orders" in records:
            values["orders"] = records["orders"]
        if "equipment" in records:
            values["equipment_list"] = records["equipment"]
        if "documents" in records:
            values["documents"] = records["documents"]
        return values

    @http.route(["/my/sites/<int:site_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_site(self, site_id, tab="service", **_kwargs):
        site = self._service_site_or_404(site_id)
        values = self._prepare_portal_layout_values()
        tabs = self._service_site_tabs(values["service_sections"])
        if tab not in tabs:
            tab = next(iter(tabs))
        values.update(
            {
                "site": site,
                "tabs": tabs,
                "tab": tab,
                "page_name": "service_site",
                **self._service_site_tab_values(site, tab),
            }
        )
        new_visit = site._portal_new_visit(in_scope=True) if tab == "service" else None
        if new_visit:
            values["site_request"] = True
            values.update(
                self._service_arrival_offer_values(
                    new_visit, f"/my/sites/{site.id}", values, query={"tab": tab}
                )
            )
        return request.render("service_portal.portal_my_site", values)

    @http.route(
        ["/my/sites/<int:site_id>/arrival-windows"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_site_arrival_windows(self, site_id, **_kwargs):
        """The free windows of the site's request form, when the customer opens it."""
        site = self._service_site_or_404(site_id)
        return self._service_arrival_offer_render(site._portal_new_visit(in_scope=True))

    @http.route(
        ["/my/sites/<int:site_id>/request-service"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_site_request_service(self, site_id, description=None, **_kwargs):
        site = self._service_site_or_404(site_id)
        done, order = self._service_try(
            site._portal_request_site_service,
            description,
            request.httprequest.form.getlist("windows"),
            refusals=(UserError, AccessError),
        )
        if not done:
            return request.redirect(f"/my/sites/{site_id}")
        return self._service_requested_redirect(order)
