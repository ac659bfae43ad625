from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import groupby as groupbyelem

from ..const import PORTAL_ORDER_LIST_FIELDS
from . import outcome


class ServicePortal(CustomerPortal):
    """The portal of the service addons: the home page and what every page shares.

    Each feature has its controller (sites, service orders, equipment, documents, account),
    inheriting this class; other addons inherit it too.
    """

    _service_items_per_page = 20

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        values.update(request.env["service.portal.settings"]._portal_home_counts(counters))
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

    def _service_dashboard_values(self):
        """The dashboard block of /my: what waits for the customer, five of each."""
        env = request.env
        now = fields.Datetime.now()
        dashboard = {
            # found with the user's rules, shown as superuser: a technician reads the orders
            # assigned to them, not the job site partners they point to
            # (each list fetched with the fields the dashboard shows: one query, not two)
            "upcoming_visits": env["service.order"]
            .search_fetch(
                Domain("state", "=", "scheduled") & self._service_not_over_domain(now)
                | Domain("state", "=", "in_progress"),
                PORTAL_ORDER_LIST_FIELDS,
                order="date_start",
                limit=5,
            )
            .sudo(),
            # the same for quotes and invoices: the search applied the record rules, so
            # reading the five found does not evaluate them again field by field
            "quotes_to_approve": env["sale.order"]
            .search_fetch(
                [("state", "=", "sent")],
                ["name", "amount_total", "currency_id"],
                order="date_order desc",
                limit=5,
            )
            .sudo()
            if env["sale.order"].has_access("read")
            else env["sale.order"],
            "invoices_to_pay": env["account.move"]
            .search_fetch(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ["not_paid", "partial"]),
                ],
                ["name", "move_type", "invoice_date_due", "amount_residual", "currency_id"],
                order="invoice_date_due",
                limit=5,
            )
            .sudo()
            if env["account.move"].has_access("read")
            else env["account.move"],
        }
        return {
            "service_dashboard": dashboard,
            "now": now,
            "service_access_pending": request.env.user._service_portal_access_pending(),
            # for the addons whose users are no customer contact (e.g. technicians)
            "service_dashboard_hidden": False,
        }

    # ------------------------------------------------------------------
    # Shared by every page
    # ------------------------------------------------------------------

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["service_sections"] = request.env["service.portal.settings"].get_shown_sections()
        values.update(outcome.layout_values())
        return values

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

    def _service_check_section(self, section):
        if not request.env["service.portal.settings"].get_shown_sections()[section]:
            raise request.not_found()

    @staticmethod
    def _service_not_over_domain(now):
        """Visits whose window has not ended: not yet planned, starting later, or still
        within their window."""
        return (
            Domain("date_start", "=", False)
            | Domain("date_start", ">=", now)
            | Domain("date_end", ">=", now)
        )

    def _service_searchbar_groupby_site(self):
        """The group-by choices of the portal lists: none, or by job site."""
        return {
            "none": {"label": request.env._("None")},
            "site": {"label": request.env._("Job Site")},
        }

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
        fields=None,
    ):
        """Values of a portal list page with Odoo's search bar (filters, sortings, group by
        job site, search fields) and a pager, from the request's parameters: a value that
        is not one of the search bar's falls back on its first one (``groupby`` on
        ``"none"``); ``search_domain(search_in, search)`` returns the domain of a search.
        Returns the search bar values, the ``pager``, the page's ``records`` and
        ``grouped_records`` (one recordset per job site when grouped by site). ``fields``:
        the fields the page shows, fetched with the search (one query, not two)."""
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
        records = model.search_fetch(
            domain, fields or [], order=order, limit=step, offset=pager["offset"]
        ).sudo()
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

    def _service_arrival_offer_values(self, visit, path, page_values, query=None):
        """The arrival windows slot of the visit form of the page at ``path`` (none when
        ``visit`` is empty); ``page_values``: the page's values so far, ``query``: the
        parameters that open the page on the form (a site's tab).

        The free windows are the costliest part of a site's, an order's or an equipment's
        page, and most views of those pages ask for no visit: they are computed when the
        customer opens the form (its script loads ``<path>/arrival-windows``, see
        ``service_portal.arrival_offer``), or on the page itself when it is opened with
        ``?arrival=1`` (the form's link, without script) or shown again after a refused
        request.
        """
        if not visit:
            return {}
        values = {
            "arrival_offer_url": f"{path}/arrival-windows",
            "arrival_offer_page_url": f"{path}?{url_encode({**(query or {}), 'arrival': 1})}",
            "arrival_tz": visit._arrival_tz(),
        }
        if request.params.get("arrival") == "1" or page_values.get("service_error"):
            values["arrival_offered"] = visit._arrival_offered()
        return values

    def _service_arrival_offer_render(self, visit, date_order=None):
        """The windows of a visit form alone, for its script (404 when ``visit`` is empty);
        ``date_order``: the order whose form falls back to a preferred date."""
        if not visit:
            raise request.not_found()
        return request.render(
            "service_portal.arrival_window_choice",
            {
                "arrival_offered": visit._arrival_offered(),
                "arrival_tz": visit._arrival_tz(),
                "arrival_date_order": date_order,
            },
        )

    # ------------------------------------------------------------------
    # Actions: run the model's method, tell the outcome, redirect
    # ------------------------------------------------------------------

    def _service_try(self, method, *args, form=None, refusals=(UserError,)):
        """Run ``method(*args)``, the model method of an action the user asked for. On one
        of ``refusals`` its writes are undone (a savepoint) and the reason, with ``form``
        (the values typed, to fill the form again), is kept for the page the user is sent
        back to (``outcome.error``): returns ``(False, None)``; else ``(True, result)``."""
        try:
            with request.env.cr.savepoint():
                return True, method(*args)
        except refusals as error:
            outcome.error(error, form=form)
            return False, None

    def _service_action(
        self,
        url,
        method,
        *args,
        form=None,
        message=None,
        key=None,
        anchor="",
        refusals=(UserError,),
    ):
        """Run the model method of an action (see :meth:`_service_try`) and send the user
        back to ``url``: with ``message`` (the alert's id ``key``) at the page's ``anchor``
        when it is done, with the reason and ``form`` when it is refused (at the top of the
        page, where the alert is)."""
        done, _result = self._service_try(method, *args, form=form, refusals=refusals)
        if done and message:
            outcome.success(message, key=key)
        return request.redirect(f"{url}{anchor if done else ''}")

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
