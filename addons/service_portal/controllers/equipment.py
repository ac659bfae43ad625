from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from ..const import PORTAL_EQUIPMENT_LIST_FIELDS
from .portal import ServicePortal


class ServicePortalEquipment(ServicePortal):
    """Equipment: the list, an item's page, and a visit asked from it."""

    @http.route(
        ["/my/equipment", "/my/equipment/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_equipment_list(self, page=1, search=None, **_kwargs):
        self._service_check_section("equipment")
        Equipment = request.env["service.equipment"]
        domain = Equipment._portal_search_domain(search) if search else Domain.TRUE
        total = Equipment.search_count(domain)
        pager = portal_pager(
            url="/my/equipment",
            url_args={"search": search},
            total=total,
            page=page,
            step=self._service_items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                # fetched with the fields the list shows: one query, not a search and a read
                "equipment_list": Equipment.search_fetch(
                    domain,
                    PORTAL_EQUIPMENT_LIST_FIELDS,
                    order="site_id, name, id",
                    limit=self._service_items_per_page,
                    offset=pager["offset"],
                ),
                "pager": pager,
                "page_name": "service_equipment",
                "default_url": "/my/equipment",
                "search": search,
                "searchbar_inputs": {
                    "name": {"input": "name", "label": request.env._("Search equipment")}
                },
                "search_in": "name",
            }
        )
        return request.render("service_portal.portal_my_equipment_list", values)

    @http.route(
        ["/my/equipment/<int:equipment_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_equipment(self, equipment_id, access_token=None, **_kwargs):
        self._service_check_section("equipment")
        try:
            equipment_sudo = self._document_check_access(
                "service.equipment", equipment_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "equipment": equipment_sudo,
                "orders": equipment_sudo._portal_visible_orders().sorted(
                    "date_start", reverse=True
                ),
                "documents": request.env["service.document"]._portal_published_of(equipment_sudo),
                "page_name": "service_equipment_item",
            }
        )
        values.update(
            self._service_arrival_offer_values(
                equipment_sudo._portal_new_visit(), f"/my/equipment/{equipment_sudo.id}", values
            )
        )
        values = self._get_page_view_values(
            equipment_sudo, access_token, values, "my_equipment_history", False, **_kwargs
        )
        return request.render("service_portal.portal_my_equipment", values)

    def _service_equipment_to_request(self, equipment_id):
        """The equipment ``equipment_id`` the user may ask a visit for (its form is shown),
        else 404."""
        self._service_check_section("equipment")
        self._service_check_section("equipment_request")
        try:
            return self._document_check_access("service.equipment", equipment_id)
        except (AccessError, MissingError):
            raise request.not_found() from None

    @http.route(
        ["/my/equipment/<int:equipment_id>/arrival-windows"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_equipment_arrival_windows(self, equipment_id, **_kwargs):
        """The free windows of the equipment's request form, when the customer opens it."""
        equipment_sudo = self._service_equipment_to_request(equipment_id)
        return self._service_arrival_offer_render(equipment_sudo._portal_new_visit())

    @http.route(
        ["/my/equipment/<int:equipment_id>/request-service"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_equipment_request_service(self, equipment_id, description=None, **_kwargs):
        equipment_sudo = self._service_equipment_to_request(equipment_id)
        done, order = self._service_try(
            lambda: equipment_sudo._portal_request_service(
                description, windows=request.httprequest.form.getlist("windows")
            )
        )
        if not done:
            return request.redirect(f"/my/equipment/{equipment_id}")
        return self._service_requested_redirect(order)
