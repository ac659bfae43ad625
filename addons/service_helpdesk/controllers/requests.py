from odoo import http
from odoo.addons.service_portal.controllers import inputs
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.http import request

from ..const import DESCRIPTION_MAX_LENGTH, PORTAL_REQUEST_LIST_FIELDS
from ..utils import form_text
from .portal import HelpdeskCustomerPortal


class HelpdeskRequests(HelpdeskCustomerPortal):
    """The customer's requests: the list, a request's page and what the customer does
    there (close, reopen, rate, subscribers, estimates). Each action runs through
    ``ServicePortal._service_action``: its outcome is told on the request's page, where it
    goes back to; a refusal (UserError) writes nothing."""

    # ------------------------------------------------------------------
    # Searchbar hooks of /my/requests
    # ------------------------------------------------------------------

    def _prepare_requests_domain(self):
        """Requests of the contact's scope; record rules enforce it, this says it."""
        return Domain(request.env["service.ticket"]._service_portal_scope_domain())

    def _get_requests_searchbar_filters(self):
        return {
            "open": {"label": request.env._("Open"), "domain": Domain("state", "=", "open")},
            "completed": {
                "label": request.env._("Completed"),
                "domain": Domain("state", "=", "completed"),
            },
            "all": {"label": request.env._("All"), "domain": Domain.TRUE},
        }

    def _get_requests_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "date_asc": {"label": request.env._("Oldest"), "order": "create_date asc, id asc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "subject": {"label": request.env._("Subject"), "order": "subject asc, id desc"},
            "priority": {"label": request.env._("Priority"), "order": "priority desc, id desc"},
        }

    def _get_requests_searchbar_groupby(self):
        return self._service_searchbar_groupby_site()

    def _get_requests_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Reference")},
            "subject": {"input": "subject", "label": request.env._("Search in Subject")},
        }

    def _get_requests_search_domain(self, search_in, search):
        if search_in == "name":
            return Domain("name", "ilike", search)
        if search_in == "subject":
            return Domain("subject", "ilike", search)
        return Domain.OR(
            [
                Domain("name", "ilike", search),
                Domain("subject", "ilike", search),
                Domain("description", "ilike", search),
                Domain("site_id.name", "ilike", search),
            ]
        )

    # ------------------------------------------------------------------
    # /my/requests
    # ------------------------------------------------------------------

    @http.route(
        ["/my/requests", "/my/requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_requests(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", groupby=None, **_kw
    ):
        values = self._prepare_portal_layout_values()
        searchbar = {
            "searchbar_filters": self._get_requests_searchbar_filters(),
            "searchbar_sortings": self._get_requests_searchbar_sortings(),
            "searchbar_groupby": self._get_requests_searchbar_groupby(),
            "searchbar_inputs": self._get_requests_searchbar_inputs(),
        }
        list_values = self._service_search_bar_list(
            request.env["service.ticket"],
            "/my/requests",
            searchbar,
            self._get_requests_search_domain,
            page=page,
            filterby=filterby,
            sortby=sortby,
            groupby=groupby,
            search_in=search_in,
            search=search,
            base_domain=self._prepare_requests_domain(),
            step=self._items_per_page,
            fields=PORTAL_REQUEST_LIST_FIELDS,
        )
        tickets = list_values["records"]
        tickets.fetch(["name", "subject", "state", "priority", "create_date", "site_id"])
        tickets.site_id.fetch(["display_name"])
        request.session["my_requests_history"] = tickets.ids[:100]
        values.update(list_values)
        values.update(
            {
                "grouped_tickets": list_values["grouped_records"],
                "page_name": "requests",
                "default_url": "/my/requests",
            }
        )
        return request.render("service_helpdesk.portal_my_requests", values)

    # ------------------------------------------------------------------
    # /my/requests/<id>
    # ------------------------------------------------------------------

    def _request_check_access(self, ticket_id, access_token=None):
        """The request, sudoed, or None when it does not exist or the user may not see it.

        Sudoed as the current user (not as the superuser) so that what it writes and posts
        is authored by the contact.
        """
        try:
            ticket = self._document_check_access("service.ticket", ticket_id, access_token)
        except (AccessError, MissingError):
            return None
        return ticket.with_env(request.env).sudo()

    def _request_or_404(self, ticket_id):
        """The request an action of its page is about (:meth:`_request_check_access`, no
        token: the actions are the logged-in contact's); 404 when the user may not see it."""
        ticket_sudo = self._request_check_access(ticket_id)
        if not ticket_sudo:
            raise request.not_found()
        return ticket_sudo

    def _has_scope_access(self, ticket_sudo):
        """True when the user reads the request through the record rules (not a token)."""
        user = request.env.user
        return not user._is_public() and ticket_sudo.with_user(user).has_access("read")

    def _request_get_page_view_values(self, ticket_sudo, access_token, **kwargs):
        # Without a token, _request_check_access let the user in through the record rules
        # only (the public user reads no request): no need to evaluate them a second time.
        member = (
            self._has_scope_access(ticket_sudo)
            if access_token
            else not request.env.user._is_public()
        )
        values = self._prepare_portal_layout_values()
        subscribers = ticket_sudo._portal_subscribers()
        values.update(
            {
                "page_name": "request",
                "ticket": ticket_sudo,
                "answers": ticket_sudo.answer_ids,
                "is_member": member,
                "subscribers": subscribers,
                "subscriber_candidates": (
                    ticket_sudo._portal_subscriber_candidates() - subscribers
                    if member
                    else request.env["res.partner"]
                ),
                "estimates": ticket_sudo._portal_estimates(),
            }
        )
        return self._get_page_view_values(
            ticket_sudo, access_token, values, "my_requests_history", False, **kwargs
        )

    @http.route(
        "/my/requests/<int:ticket_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_my_request(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._request_check_access(ticket_id, access_token)
        if not ticket_sudo:
            return request.not_found()
        ticket_sudo._portal_ensure_token()
        values = self._request_get_page_view_values(ticket_sudo, access_token, **kw)
        return request.render("service_helpdesk.portal_my_request", values)

    @http.route(
        "/my/requests/<int:ticket_id>/close",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_close_request(self, ticket_id, comment=None, **_kw):
        return self._request_change_state(ticket_id, comment, "close")

    @http.route(
        "/my/requests/<int:ticket_id>/reopen",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_reopen_request(self, ticket_id, comment=None, **_kw):
        return self._request_change_state(ticket_id, comment, "reopen")

    def _request_change_state(self, ticket_id, comment, action):
        ticket_sudo = self._request_or_404(ticket_id)
        comment = form_text(comment).strip()[:DESCRIPTION_MAX_LENGTH]
        author = request.env.user.partner_id
        close = action == "close"
        return self._request_action(
            ticket_id,
            "request_closed" if close else "request_reopened",
            ticket_sudo._portal_close if close else ticket_sudo._portal_reopen,
            comment,
            author,
        )

    def _request_action(self, ticket_id, key, method, *args, anchor=""):
        """Run an action of the request's page (``ServicePortal._service_action``) and go
        back to the page (at ``anchor``, refused or not), with the message of ``key`` (the
        alert's id) when it is done."""
        messages = {
            "request_closed": request.env._("The request is closed. Thank you!"),
            "request_reopened": request.env._(
                "The request is open again: we will get back to you."
            ),
            "request_rated": request.env._("Thank you for your rating!"),
            "subscriber_added": request.env._("The subscriber was added."),
            "subscriber_removed": request.env._("The subscriber was removed."),
            "estimate_approved": request.env._("Thank you: the estimate is approved."),
            "estimate_declined": request.env._("The estimate is declined."),
        }
        return self._service_action(
            f"/my/requests/{ticket_id}{anchor}", method, *args, message=messages[key], key=key
        )

    @http.route(
        "/my/requests/<int:ticket_id>/rate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_rate_request(self, ticket_id, rate=None, feedback=None, **_kw):
        ticket_sudo = self._request_or_404(ticket_id)
        feedback = form_text(feedback).strip()[:DESCRIPTION_MAX_LENGTH]
        return self._request_action(
            ticket_id, "request_rated", ticket_sudo._portal_rate, form_text(rate), feedback
        )

    @http.route(
        "/my/requests/<int:ticket_id>/subscribers",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_request_subscribers(self, ticket_id, partner_id=None, operation=None, **_kw):
        ticket_sudo = self._request_or_404(ticket_id)
        partner = (
            request.env["res.partner"].sudo().browse(inputs.parse_id(partner_id) or []).exists()
        )
        if operation not in ("add", "remove"):
            partner = partner.browse()  # an unknown operation: refused as no colleague
        add = operation != "remove"
        return self._request_action(
            ticket_id,
            "subscriber_added" if add else "subscriber_removed",
            ticket_sudo._portal_add_subscriber if add else ticket_sudo._portal_remove_subscriber,
            partner,
        )

    @http.route(
        "/my/requests/<int:ticket_id>/estimates/<int:order_id>/<any(approve,decline):decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_request_estimate(self, ticket_id, order_id, decision, comment=None, **_kw):
        ticket_sudo = self._request_or_404(ticket_id)
        order = ticket_sudo._portal_estimates().filtered(lambda estimate: estimate.id == order_id)
        if not order:
            return request.not_found()
        comment = form_text(comment).strip()[:DESCRIPTION_MAX_LENGTH]
        approve = decision == "approve"
        return self._request_action(
            ticket_id,
            "estimate_approved" if approve else "estimate_declined",
            order._portal_decide_estimate,
            approve,
            comment,
            anchor="#request_estimates",
        )
