from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import groupby as groupbyelem

from ..exceptions import FieldUserError
from . import inputs, outcome


class ServicePortal(CustomerPortal):
    _service_items_per_page = 20

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        sections = env["service.portal.settings"].get_shown_sections()
        if "site_count" in counters:
            values["site_count"] = env["res.partner"]._service_portal_sites_count()
        if "service_order_count" in counters:
            values["service_order_count"] = (
                env["service.order"].search_count([("is_open", "=", True)])
                if env["service.order"].has_access("read")
                else 0
            )
        if "equipment_count" in counters:
            values["equipment_count"] = (
                env["service.equipment"].search_count([])
                if sections["equipment"] and env["service.equipment"].has_access("read")
                else 0
            )
        if "service_document_count" in counters:
            values["service_document_count"] = (
                env["service.document"].search_count([])
                if sections["documents"] and env["service.document"].has_access("read")
                else 0
            )
        return values

    @http.route()
    def home(self, **kwargs):
        if request.env.user._service_portal_is_waiting():
            return request.render(
                "service_portal.portal_waiting", self._prepare_portal_layout_values()
            )
        response = super().home(**kwargs)
        if not request.env.user.share:
            return response
        # Odoo's home shows the contact's own picture twice (avatar_1024 in the account
        # header, avatar_128 in the side panel): computed here at once as superuser, the
        # template reads them from the cache instead of checking the read access on every
        # field the computation reads (the contact reads their own partner either way)
        request.env.user.partner_id.sudo().read(["avatar_1024", "avatar_128"])
        response.qcontext.update(self._service_dashboard_values())
        return response

    # ------------------------------------------------------------------
    # Account: company address and email change
    # ------------------------------------------------------------------

    def _create_or_update_address(self, partner_sudo, **form_data):
        own = (
            partner_sudo and partner_sudo == request.env.user.partner_id and request.env.user.share
        )
        if request.env.user.share:
            # Odoo renames the contact's company from this form: a contact of a customer may
            # not rename the organisation that other contacts share.
            form_data.pop("company_name", None)
        new_email = None
        if own:
            if partner_sudo.use_company_address:
                # Shown read-only: whatever the form says, the company's address stays.
                for field in ("street", "street2", "city", "zip"):
                    form_data[field] = partner_sudo[field] or ""
                form_data["state_id"] = str(partner_sudo.state_id.id or "")
                form_data["country_id"] = str(partner_sudo.country_id.id or "")
            submitted = (form_data.get("email") or "").strip()
            if (
                submitted
                and submitted.lower() != (partner_sudo.email or "").lower()
                and partner_sudo._service_email_is_login()
            ):
                # The email is the login: it changes once the new address is verified.
                new_email, form_data["email"] = submitted, partner_sudo.email
        partner_sudo, feedback = super()._create_or_update_address(partner_sudo, **form_data)
        if new_email and "redirectUrl" in feedback:
            try:
                partner_sudo._portal_request_email_change(new_email)
            except UserError as error:
                request.env.cr.rollback()
                return partner_sudo, {"invalid_fields": ["email"], "messages": [error.args[0]]}
            feedback["redirectUrl"] = "/my/account?email_pending=1"
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
        limits = {"name": 128, "street": 128, "street2": 128, "city": 64, "zip": 16, "phone": 32}
        too_long = {
            field
            for field, limit in limits.items()
            if len(str(address_values.get(field) or "")) > limit
        }
        if too_long:
            invalid_fields |= too_long
            error_messages.append(request.env._("Some fields are too long: shorten them."))
        if any(char in str(address_values.get("name") or "") for char in "<>{}"):
            invalid_fields.add("name")
            error_messages.append(request.env._("Names may not contain < > { or }."))
        return invalid_fields, missing_fields, error_messages

    @http.route(
        ["/my/account/company-address"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_use_company_address(self, use=None, csrf_token=None, **_kwargs):
        if not request.validate_csrf(csrf_token):
            raise request.not_found()
        partner = request.env.user.partner_id
        if partner.parent_id and request.env.user.share:
            partner.sudo().use_company_address = use == "1"
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

    def _service_notification_preferences(self):
        """{field: label} of the emails a contact can turn off."""
        return {
            "notify_invoices": request.env._("New invoices"),
            "notify_visit_reminders": request.env._("A reminder the day before a visit"),
            "notify_order_updates": request.env._("Visits scheduled, moved or completed"),
            "notify_request_updates": request.env._("Replies and status changes on my requests"),
        }

    @http.route(
        ["/my/notifications"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_my_notifications(self, **post):
        preferences = self._service_notification_preferences()
        partner = request.env.user.partner_id
        saved = False
        if request.httprequest.method == "POST":
            partner.sudo().write({field: bool(post.get(field)) for field in preferences})
            saved = True
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_notifications",
                "preferences": preferences,
                "partner": partner,
                "saved": saved,
            }
        )
        return request.render("service_portal.portal_my_notifications", values)

    def _service_dashboard_values(self):
        """The dashboard block of /my: what waits for the customer, five of each."""
        env = request.env
        now = fields.Datetime.now()
        dashboard = {
            # found with the user's rules, shown as superuser: a technician reads the orders
            # assigned to them, not the job site partners they point to
            "upcoming_visits": env["service.order"]
            .search(
                Domain("state", "=", "scheduled") & self._service_not_over_domain(now)
                | Domain("state", "=", "in_progress"),
                order="date_start",
                limit=5,
            )
            .sudo(),
            # the same for quotes and invoices: the search applied the record rules, so
            # reading the five found does not evaluate them again field by field
            "quotes_to_approve": env["sale.order"]
            .search([("state", "=", "sent")], order="date_order desc", limit=5)
            .sudo()
            if env["sale.order"].has_access("read")
            else env["sale.order"],
            "invoices_to_pay": env["account.move"]
            .search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ["not_paid", "partial"]),
                ],
                order="invoice_date_due",
                limit=5,
            )
            .sudo()
            if env["account.move"].has_access("read")
            else env["account.move"],
        }
        waiting = (
            request.env["service.portal.registration"]
            .sudo()
            .search_count(
                [("partner_id", "=", request.env.user.partner_id.id), ("state", "=", "waiting")]
            )
        )
        return {
            "service_dashboard": dashboard,
            "now": now,
            "service_access_pending": bool(waiting),
            # for the addons whose users are no customer contact (e.g. technicians)
            "service_dashboard_hidden": False,
        }

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["service_sections"] = request.env["service.portal.settings"].get_shown_sections()
        values.update(outcome.layout_values())
        return values

    # ------------------------------------------------------------------
    # Job sites
    # ------------------------------------------------------------------

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

    def _service_site_tab_values(self, site, tab):
        """The records a site tab lists."""
        env = request.env
        if tab in ("service", "install"):
            kinds = ["service", "maintenance", "inspection"] if tab == "service" else ["install"]
            return {
                "orders": env["service.order"].search(
                    [("site_id", "=", site.id), ("kind", "in", kinds)], limit=100
                )
            }
        if tab == "equipment":
            return {
                "equipment_list": env["service.equipment"].search(
                    [("site_id", "=", site.id)], limit=100
                )
            }
        if tab == "documents":
            return {
                "documents": env["service.document"].search([("site_id", "=", site.id)], limit=100)
            }
        return {}

    @http.route(["/my/sites/<int:site_id>"], type="http", auth="user", website=True, readonly=True)
    def portal_my_site(self, site_id, tab="service", **_kwargs):
        site = request.env["res.partner"]._service_portal_sites(site_ids=[site_id])
        if not site:
            raise request.not_found()
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
        if tab == "service" and site._service_can_request_service(in_scope=True):
            new_visit = request.env["service.order"].sudo().new(site._service_new_visit_values())
            values["site_request"] = True
            values["arrival_offered"] = new_visit._arrival_offered()
            values["arrival_tz"] = new_visit._arrival_tz()
        return request.render("service_portal.portal_my_site", values)

    @http.route(
        ["/my/sites/<int:site_id>/request-service"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_site_request_service(self, site_id, description=None, **_kwargs):
        site = request.env["res.partner"]._service_portal_sites(site_ids=[site_id])
        if not site:
            raise request.not_found()
        try:
            order = site._portal_request_site_service(
                description, request.httprequest.form.getlist("windows")
            )
        except (UserError, ValidationError, AccessError) as error:
            request.env.cr.rollback()
            outcome.error(error)
            return request.redirect(f"/my/sites/{site_id}")
        return self._service_requested_redirect(order)

    # ------------------------------------------------------------------
    # Service orders
    # ------------------------------------------------------------------

    @staticmethod
    def _service_not_over_domain(now):
        """Visits whose window has not ended: not yet planned, starting later, or still
        within their window."""
        return (
            Domain("date_start", "=", False)
            | Domain("date_start", ">=", now)
            | Domain("date_end", ">=", now)
        )

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

    def _service_searchbar_groupby_site(self):
        """The group-by choices of the portal lists: none, or by job site."""
        return {
            "none": {"label": request.env._("None")},
            "site": {"label": request.env._("Job Site")},
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

    def _service_search_bar_list(
        self,
        model,
        url,
        searchbar,
        search_domain,
        *,
        page=1,
        filterby=None,
        sortby=None,
        groupby=None,
        search_in=None,
        search=None,
        base_domain=None,
        step=None,
    ):
        """Values of a portal list page with Odoo's search bar (filters, sortings, group by
        job site, search fields) and a pager, from the request's parameters: a value that
        is not one of the search bar's falls back on its first one (``groupby`` on
        ``"none"``); ``search_domain(search_in, search)`` returns the domain of a search.
        Returns the search bar values, the ``pager``, the page's ``records`` and
        ``grouped_records`` (one recordset per job site when grouped by site)."""
        step = step or self._service_items_per_page
        filters = searchbar["searchbar_filters"]
        sortings = searchbar["searchbar_sortings"]
        groupbys = searchbar["searchbar_groupby"]
        inputs = searchbar["searchbar_inputs"]
        filterby = filterby if filterby in filters else next(iter(filters))
        sortby = sortby if sortby in sortings else next(iter(sortings))
        groupby = groupby if groupby in groupbys else "none"
        search_in = search_in if search_in in inputs else next(iter(inputs))
        search = search.strip()[:100] if isinstance(search, str) else ""

        domain = Domain(base_domain or Domain.TRUE) & Domain(filters[filterby]["domain"])
        if search:
            domain &= Domain(search_domain(search_in, search))
        order = sortings[sortby]["order"]
        if groupby == "site":
            order = f"site_id, {order}"
        pager = portal_pager(
            url=url,
            url_args={
                "filterby": filterby,
                "sortby": sortby,
                "groupby": groupby,
                "search": search,
                "search_in": search_in,
            },
            total=model.search_count(domain),
            page=page,
            step=step,
        )
        # found with the user's rules, shown as superuser: a technician reads the orders
        # assigned to them, not the job site partners they point to
        records = model.search(domain, order=order, limit=step, offset=pager["offset"]).sudo()
        if groupby == "site":
            grouped_records = [
                records.browse().concat(*group)
                for _site, group in groupbyelem(records, lambda r: r.site_id)
            ]
        else:
            grouped_records = [records] if records else []
        return {
            **searchbar,
            "filterby": filterby,
            "sortby": sortby,
            "groupby": groupby,
            "search_in": search_in,
            "search": search,
            "pager": pager,
            "records": records,
            "grouped_records": grouped_records,
        }

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

    def _document_check_access(self, model_name, document_id, access_token=None):
        document_sudo = super()._document_check_access(model_name, document_id, access_token)
        if model_name in request.env.registry.descendants(["service.scoped.mixin"], "_inherit"):
            # Odoo returns the record as the superuser; the product's records keep the current
            # user (sudoed), so that model methods know who acts for the customer.
            return document_sudo.with_env(request.env).sudo()
        return document_sudo

    def _service_readable(self, records_sudo):
        """The records of ``records_sudo`` the current user may read, still sudoed."""
        if request.env.user._is_public():
            return records_sudo.browse()
        readable = records_sudo.with_env(request.env)._filtered_access("read")
        return records_sudo.filtered(lambda record: record in readable)

    def _service_order_page_values(self, order_sudo, access_token, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "order": order_sudo,
                "page_name": "service_order",
                "timeline": order_sudo._portal_status_timeline(),
                "documents": order_sudo.document_ids.filtered("published"),
                # Links to Odoo's quote and invoice pages carry access tokens: only for those
                # who may open them anyway (not a technician, not a visitor with a token).
                "quote": self._service_readable(order_sudo.sale_order_id),
                "invoices": self._service_readable(
                    order_sudo.invoice_ids.filtered(lambda move: move.state == "posted")
                ),
                "can_act_as_customer": order_sudo._service_is_customer_contact(),
                "now": fields.Datetime.now(),
            }
        )
        values.update(self._service_arrival_values(order_sudo, values["can_act_as_customer"]))
        return self._get_page_view_values(
            order_sudo, access_token, values, "my_service_orders_history", False, **kwargs
        )

    def _service_arrival_values(self, order_sudo, can_act_as_customer):
        """The free windows the customer may move the visit to, and those already asked."""
        can_pick = (
            can_act_as_customer
            and order_sudo.state in ("draft", "scheduled")
            and not order_sudo.customer_request
        )
        return {
            "arrival_offered": order_sudo._arrival_offered() if can_pick else [],
            "arrival_tz": order_sudo._arrival_tz(),
            "arrival_requested": order_sudo.arrival_window_ids.filtered(
                lambda window: window.state == "proposed"
            ),
        }

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
        try:
            windows = request.httprequest.form.getlist("windows")
            if change == "reschedule" and windows:
                order_sudo._portal_request_reschedule_windows(windows, reason)
            elif change == "reschedule":
                order_sudo._portal_request_reschedule(
                    self._service_parse_datetime(preferred_date, order_sudo), reason
                )
            elif change == "cancel":
                order_sudo._portal_request_cancel(reason)
            else:
                raise UserError(
                    request.env._("Choose whether to reschedule or to cancel the visit.")
                )
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            outcome.error(error)
            return request.redirect(order_sudo.get_portal_url())
        outcome.success(
            request.env._("Your request was sent: the service team will answer it shortly."),
            key="change_requested",
        )
        return request.redirect(order_sudo.get_portal_url())

    def _service_requested_redirect(self, order):
        outcome.success(
            request.env._(
                "Thank you: your request is registered as %(order)s. "
                "A dispatcher will plan the visit.",
                order=order.name,
            ),
            key="service_requested",
        )
        return request.redirect(order.get_portal_url())

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

    # ------------------------------------------------------------------
    # Equipment
    # ------------------------------------------------------------------

    def _service_check_section(self, section):
        if not request.env["service.portal.settings"].get_shown_sections()[section]:
            raise request.not_found()

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
        domain = Domain.TRUE
        if search:
            term = search[:100]
            domain = (
                Domain("name", "ilike", term)
                | Domain("serial_number", "ilike", term)
                | Domain("model", "ilike", term)
            )
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
                "equipment_list": Equipment.search(
                    domain,
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
                "documents": equipment_sudo.document_ids.filtered("published"),
                "page_name": "service_equipment_item",
            }
        )
        if equipment_sudo._service_is_customer_contact():
            new_visit = (
                request.env["service.order"]
                .sudo()
                .new(
                    {
                        "partner_id": equipment_sudo.partner_id.id,
                        "site_id": equipment_sudo.site_id.id,
                        "equipment_id": equipment_sudo.id,
                    }
                )
            )
            values["arrival_offered"] = new_visit._arrival_offered()
            values["arrival_tz"] = new_visit._arrival_tz()
        values = self._get_page_view_values(
            equipment_sudo, access_token, values, "my_equipment_history", False, **_kwargs
        )
        return request.render("service_portal.portal_my_equipment", values)

    @http.route(
        ["/my/equipment/<int:equipment_id>/request-service"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_equipment_request_service(self, equipment_id, description=None, **_kwargs):
        self._service_check_section("equipment")
        self._service_check_section("equipment_request")
        try:
            equipment_sudo = self._document_check_access("service.equipment", equipment_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        try:
            order = equipment_sudo._portal_request_service(
                description, windows=request.httprequest.form.getlist("windows")
            )
        except (UserError, ValidationError) as error:
            request.env.cr.rollback()
            outcome.error(error)
            return request.redirect(f"/my/equipment/{equipment_id}")
        return self._service_requested_redirect(order)

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    @http.route(
        ["/my/documents", "/my/documents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_documents(self, page=1, **_kwargs):
        self._service_check_section("documents")
        Document = request.env["service.document"]
        total = Document.search_count([])
        pager = portal_pager(
            url="/my/documents", total=total, page=page, step=self._service_items_per_page
        )
        documents = Document.search(
            [],
            order="site_id, create_date desc, id desc",
            limit=self._service_items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "grouped_documents": [
                    (site, Document.concat(*group))
                    for site, group in groupbyelem(documents, lambda d: d.site_id)
                ],
                "pager": pager,
                "page_name": "service_documents",
                "default_url": "/my/documents",
            }
        )
        return request.render("service_portal.portal_my_documents", values)

    @http.route(
        ["/my/documents/<int:document_id>/download"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_document_download(self, document_id, **_kwargs):
        self._service_check_section("documents")
        document = request.env["service.document"].browse(document_id)
        try:
            document.check_access("read")
            document_sudo = document.sudo().exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not document_sudo or not document_sudo.published:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(
            document_sudo, "file", filename=document_sudo.file_name or document_sudo.name
        )
        return stream.get_response(as_attachment=True)
