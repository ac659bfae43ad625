from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from ..const import PORTAL_ORDER_LIST_FIELDS
from ..exceptions import FieldUserError
from . import inputs, outcome
from .portal import ServicePortal


class ServicePortalServiceOrders(ServicePortal):
    """Service orders: the list, an order's page, the customer's change requests and sign-off."""

    # ------------------------------------------------------------------
    # List
    # ------------------------------------------------------------------

    def _get_service_order_searchbar_filters(self, sections):
        now = fields.Datetime.now()
        filters = {
            "upcoming": {
                "label": request.env._("Upcoming"),
                # a visit under way stays here until it is done
                "domain": Domain("state", "=", "in_progress")
                | Domain("state", "in", ["draft", "scheduled"])
                & self._service_not_over_domain(now),
            },
            "completed": {"label": request.env._("Completed"), "domain": [("state", "=", "done")]},
            "all": {"label": request.env._("All"), "domain": []},
        }
        if sections["all_open_orders"]:
            filters["open"] = {
                "label": request.env._("All open orders"),
                "domain": [("is_open", "=", True)],
            }
        return filters

    def _get_service_order_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Scheduled date"), "order": "date_start desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_start desc"},
        }

    def _get_service_order_searchbar_groupby(self):
        return self._service_searchbar_groupby_site()

    def _get_service_order_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Reference")},
            "description": {
                "input": "description",
                "label": request.env._("Search in Description"),
            },
        }

    def _get_service_order_search_domain(self, search_in, search):
        if search_in in ("name", "description"):
            return [(search_in, "ilike", search)]
        return Domain.OR(
            Domain(field, "ilike", search)
            for field in ("name", "description", "site_id.name", "equipment_id.name")
        )

    @http.route(
        ["/my/service-orders", "/my/service-orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_service_orders(
        self,
        page=1,
        filterby=None,
        sortby=None,
        groupby=None,
        search=None,
        search_in="all",
        **_kwargs,
    ):
        values = self._prepare_portal_layout_values()
        searchbar = {
            "searchbar_filters": self._get_service_order_searchbar_filters(
                values["service_sections"]
            ),
            "searchbar_sortings": self._get_service_order_searchbar_sortings(),
            "searchbar_groupby": self._get_service_order_searchbar_groupby(),
            "searchbar_inputs": self._get_service_order_searchbar_inputs(),
        }
        list_values = self._service_search_bar_list(
            request.env["service.order"],
            "/my/service-orders",
            searchbar,
            self._get_service_order_search_domain,
            page=page,
            filterby=filterby,
            sortby=sortby,
            groupby=groupby,
            search_in=search_in,
            search=search,
            fields=PORTAL_ORDER_LIST_FIELDS,
        )
        values.update(list_values)
        values.update(
            {
                "grouped_orders": list_values["grouped_records"],
                "page_name": "service_orders",
                "default_url": "/my/service-orders",
            }
        )
        return request.render("service_portal.portal_my_service_orders", values)

    # ------------------------------------------------------------------
    # An order's page
    # ------------------------------------------------------------------

    def _service_order_page_values(self, order_sudo, access_token, **kwargs):
        values = self._prepare_portal_layout_values()
        can_act_as_customer = order_sudo._service_is_customer_contact()
        values.update(
            {
                "order": order_sudo,
                "page_name": "service_order",
                "timeline": order_sudo._portal_status_timeline(),
                "documents": request.env["service.document"]._portal_published_of(order_sudo),
                # Links to Odoo's quote and invoice pages carry access tokens: only for those
                # who may open them anyway (not a technician, not a visitor with a token).
                "quote": self._service_readable(order_sudo.sale_order_id),
                "invoices": self._service_readable(
                    order_sudo.invoice_ids.filtered(lambda move: move.state == "posted")
                ),
                "can_act_as_customer": can_act_as_customer,
                "now": fields.Datetime.now(),
            }
        )
        values.update(self._service_arrival_values(order_sudo, values, can_act_as_customer))
        return self._get_page_view_values(
            order_sudo, access_token, values, "my_service_orders_history", False, **kwargs
        )

    def _service_arrival_values(self, order_sudo, page_values, customer_contact=None):
        """The windows the customer asked for, and the slot of the free windows they may
        move the visit to (``customer_contact``: whether the user acts for the customer,
        when known)."""
        return {
            "arrival_tz": order_sudo._arrival_tz(),
            **self._service_arrival_offer_values(
                order_sudo._portal_visit_to_move(customer_contact=customer_contact),
                f"/my/service-orders/{order_sudo.id}",
                page_values,
            ),
            "arrival_requested": order_sudo.arrival_window_ids.filtered(
                lambda window: window.state == "proposed"
            ),
        }

    @http.route(
        ["/my/service-orders/<int:order_id>/arrival-windows"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_service_order_arrival_windows(self, order_id, **_kwargs):
        """The free windows the customer may move the visit to, when they open the form."""
        try:
            order_sudo = self._document_check_access("service.order", order_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        return self._service_arrival_offer_render(
            order_sudo._portal_visit_to_move(), date_order=order_sudo
        )

    @http.route(
        ["/my/service-orders/<int:order_id>"],
        type="http",
        auth="public",
        website=True,
        readonly=True,
    )
    def portal_my_service_order(
        self, order_id, access_token=None, report_type=None, download=False, **kwargs
    ):
        try:
            order_sudo = self._document_check_access("service.order", order_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=order_sudo,
                report_type=report_type,
                report_ref="service_portal.action_report_service_order",
                download=download,
            )
        values = self._service_order_page_values(order_sudo, access_token, **kwargs)
        return request.render("service_portal.portal_my_service_order", values)

    @http.route(
        ["/my/service-orders/<int:order_id>/change"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_service_order_change(
        self, order_id, access_token=None, change=None, preferred_date=None, reason=None, **_kwargs
    ):
        try:
            order_sudo = self._document_check_access("service.order", order_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        reason = (reason or "").strip()[:2000]
        return self._service_action(
            order_sudo.get_portal_url(),
            lambda: order_sudo._portal_request_change(
                change,
                reason,
                windows=request.httprequest.form.getlist("windows"),
                preferred_date=(
                    self._service_parse_datetime(preferred_date, order_sudo)
                    if preferred_date
                    else None
                ),
            ),
            message=request.env._(
                "Your request was sent: the service team will answer it shortly."
            ),
            key="change_requested",
        )

    def _service_parse_datetime(self, value, order=None):
        """A datetime-local value from the browser, in the zone the order's times are shown
        in (without an order: the user's), as naive UTC."""
        try:
            local = inputs.parse_local_datetime(
                value, request.env._("Enter the preferred date as a date and a time.")
            )
        except UserError as error:
            raise FieldUserError(error.args[0], "preferred_date") from None
        return (order or request.env["service.order"])._service_local_to_utc(local)

    @http.route(
        ["/my/service-orders/<int:order_id>/sign"], type="jsonrpc", auth="public", website=True
    )
    def portal_service_order_sign(self, order_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access("service.order", order_id, access_token)
        except (AccessError, MissingError):
            return {"error": request.env._("This order does not exist or you may not see it.")}
        try:
            # A refused signature leaves nothing behind (no name or date without it).
            with request.env.cr.savepoint():
                order_sudo._portal_sign_off(name, signature)
        except (UserError, ValidationError) as error:
            return {"error": str(error.args[0] if error.args else error)}
        except (TypeError, ValueError):
            return {"error": request.env._("The signature could not be read: draw it again.")}
        outcome.success(request.env._("Thank you for signing off the work."), key="signed")
        return {"force_refresh": True, "redirect_url": order_sudo.get_portal_url()}
