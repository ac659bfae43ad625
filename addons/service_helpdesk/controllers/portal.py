from markupsafe import Markup

from odoo import fields, http
from odoo.addons.service_portal.const import ALLOWED_UPLOADS, MAX_UPLOAD_FILES, MAX_UPLOAD_SIZE
from odoo.addons.service_portal.controllers import inputs
from odoo.addons.service_portal.controllers.portal import ServicePortal
from odoo.addons.service_portal.exceptions import error_field
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import LazyTranslate, plaintext2html

_lt = LazyTranslate(__name__)

SUBJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20000
ANSWER_MAX_LENGTH = {"text": 500, "textarea": 5000}
# Fixed notices shown on the request page; the URL only carries their key.
NOTICES = {
    "created": ("success", _lt("Your request was sent. We will answer here and by email.")),
    "closed": ("success", _lt("The request is closed. Thank you!")),
    "subscribed": ("success", _lt("The subscriber was added.")),
    "unsubscribed": ("success", _lt("The subscriber was removed.")),
    "subscriber_error": (
        "danger",
        _lt("Only colleagues with portal access to this request can be subscribed."),
    ),
    "close_error": ("danger", _lt("Only an open request can be closed.")),
    "rated": ("success", _lt("Thank you for your rating!")),
    "rating_error": ("danger", _lt("Only a completed request can be rated, once.")),
    "rating_invalid": ("danger", _lt("Please pick a rating from 1 to 5 stars.")),
    "reopened": ("success", _lt("The request is open again: we will get back to you.")),
    "reopen_error": (
        "danger",
        _lt("This request can no longer be reopened (completed too long ago): file a new one."),
    ),
    "estimate_approved": ("success", _lt("Thank you: the estimate is approved.")),
    "estimate_declined": ("success", _lt("The estimate is declined.")),
    "estimate_error": ("danger", _lt("This estimate can no longer be approved or declined.")),
    "estimate_sign": (
        "warning",
        _lt("This estimate must be signed or paid: open it to approve it."),
    ),
}


def _text(value):
    """A form value as text, without control characters: anything else (e.g. a file sent
    under a text field's name) is treated as empty."""
    return inputs.strip_controls(value) if isinstance(value, str) else ""


class HelpdeskCustomerPortal(ServicePortal):
    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "request_count" in counters:
            Ticket = request.env["service.ticket"]
            values["request_count"] = (
                Ticket.search_count(self._prepare_requests_domain())
                if Ticket.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Requests on service_portal's pages: site tab, dashboard
    # ------------------------------------------------------------------

    def _service_site_tabs(self, sections):
        tabs = super()._service_site_tabs(sections)
        if sections["helpdesk"] and request.env["service.ticket"].has_access("read"):
            tabs = {"requests": request.env._("Requests"), **tabs}
        return tabs

    def _service_site_tab_values(self, site, tab):
        if tab != "requests":
            return super()._service_site_tab_values(site, tab)
        tickets = request.env["service.ticket"].search(
            [("site_id", "=", site.id), ("state", "=", "open")], limit=100
        )
        return {"grouped_tickets": [tickets] if tickets else [], "groupby": "none"}

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        Ticket = request.env["service.ticket"]
        values["service_requests_allowed"] = values["service_sections"][
            "helpdesk"
        ] and Ticket.has_access("read")
        return values

    def _service_dashboard_values(self):
        values = super()._service_dashboard_values()
        shown = request.env["service.portal.settings"].get_shown_sections()["helpdesk"]
        Ticket = request.env["service.ticket"]
        values["service_dashboard"]["open_requests"] = (
            # found with the user's rules, read as superuser (as the other dashboard lists)
            Ticket.search([("state", "=", "open")], order="create_date desc", limit=5).sudo()
            if shown and Ticket.has_access("read")
            else Ticket
        )
        return values

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
    # /my/requests/new
    # ------------------------------------------------------------------

    def _request_form_sites(self):
        """Job sites the contact may file a request for: its own site when attached to one,
        else every site of its customer."""
        scope = request.env.user.partner_id.service_scope_partner_id
        return (
            request.env["res.partner"]
            .sudo()
            .search([("is_job_site", "=", True), ("id", "child_of", scope.id)], order="name")
        )

    def _request_form_types(self):
        return request.env["service.ticket.type"].search([])

    def _request_form_equipment(self, site=None):
        """Equipment the contact may file a request about, read as the contact (record
        rules), limited to ``site`` when one is chosen; none when the operator hides the
        equipment section of the portal."""
        return request.env["service.ticket"]._portal_equipment_choices(site=site)

    def _request_form_find_equipment(self, equipment_id):
        """The equipment of that id when the contact may pick it, else an empty recordset."""
        equipment_id = inputs.parse_id(equipment_id)
        if not equipment_id or equipment_id < 0:
            return request.env["service.equipment"]
        return request.env["service.ticket"]._portal_equipment_choices(equipment_id=equipment_id)

    def _request_form_prefill(self, form, errors):
        """Check the ``site_id`` and ``equipment_id`` a link passed to the form (e.g. from an
        equipment page): unknown or foreign ids are dropped with a message."""
        form = dict(form)
        if form.get("site_id") and not self._request_form_sites().filtered(
            lambda site: site.id == inputs.parse_id(form["site_id"])
        ):
            form.pop("site_id")
            errors["site_id"] = request.env._("Please pick one of your job sites from the list.")
        if form.get("equipment_id"):
            equipment = self._request_form_find_equipment(form["equipment_id"])
            if not equipment:
                form.pop("equipment_id")
                errors["equipment_id"] = request.env._(
                    "This equipment is not one of yours: please pick it from the list."
                )
            elif not form.get("site_id"):
                form["site_id"] = str(equipment.site_id.id or "")
            elif inputs.parse_id(form["site_id"]) != equipment.site_id.id:
                form.pop("equipment_id")
                errors["equipment_id"] = request.env._(
                    "This equipment is not at the chosen job site."
                )
        return form

    def _prepare_request_form_values(self, ticket_type=None, form=None, errors=None):
        values = self._prepare_portal_layout_values()
        sites = self._request_form_sites()
        form = form or {}
        own_site = request.env.user.partner_id._service_job_site()
        chosen_site = own_site
        if not chosen_site and (not ticket_type or ticket_type.site_mode != "hidden"):
            chosen_site = sites.filtered(
                lambda site: site.id == inputs.parse_id(form.get("site_id"))
            )
        values.update(
            {
                "page_name": "request_new",
                "ticket_types": self._request_form_types(),
                "ticket_type": ticket_type,
                "questions": ticket_type.question_ids if ticket_type else [],
                "sites": sites,
                "own_site": own_site,
                # every piece the contact may pick; those at another site than the chosen
                # one are rendered disabled (the form's script follows the site picker)
                "equipment_all": self._request_form_equipment(),
                "equipment_site": chosen_site,
                "prefill_query": {
                    key: form[key] for key in ("site_id", "equipment_id") if form.get(key)
                },
                "kb_shown": request.env["service.kb.article"]._kb_website_shown(),
                "form": form,
                "errors": errors or {},
                "max_files": MAX_UPLOAD_FILES,
                "max_file_size_mb": MAX_UPLOAD_SIZE // (1024 * 1024),
                "allowed_extensions": ", ".join(sorted(ALLOWED_UPLOADS)),
                "accept": ",".join(f".{ext}" for ext in sorted(ALLOWED_UPLOADS)),
            }
        )
        return values

    def _get_request_type(self, type_id):
        type_id = inputs.parse_id(type_id)
        if not type_id:
            return request.env["service.ticket.type"]
        return request.env["service.ticket.type"].search([("id", "=", type_id)], limit=1)

    @http.route(
        "/my/requests/new", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_new_request(self, type_id=None, site_id=None, equipment_id=None, **_kw):
        ticket_type = self._get_request_type(type_id)
        errors = {}
        if type_id and not ticket_type:
            errors["type_id"] = request.env._(
                "This nature of request does not exist (any more): please pick one below."
            )
        form = self._request_form_prefill(
            {"site_id": _text(site_id), "equipment_id": _text(equipment_id)}, errors
        )
        values = self._prepare_request_form_values(ticket_type, form=form, errors=errors)
        return request.render("service_helpdesk.portal_new_request", values)

    @http.route("/my/requests/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_new_request_submit(self, **post):
        post = {key: value for key, value in post.items() if isinstance(value, str)}
        ticket_type = self._get_request_type(post.get("type_id"))
        if not ticket_type:
            values = self._prepare_request_form_values(
                errors={
                    "type_id": request.env._(
                        "This nature of request does not exist (any more): please pick one below."
                    )
                }
            )
            return request.render("service_helpdesk.portal_new_request", values, status=400)
        files = [
            file
            for file in request.httprequest.files.getlist("attachments")
            if file and file.filename
        ]
        vals, answers, uploads, errors = self._validate_request_form(ticket_type, post, files)
        if not errors:
            try:
                with request.env.cr.savepoint():
                    ticket = self._create_request(vals, answers, uploads)
            except (UserError, ValidationError) as error:
                errors[error_field(error) or "form"] = error.args[0]
            else:
                request.env["service.kb.article"]._kb_record_request_sent(request.session)
                return request.redirect(f"/my/requests/{ticket.id}?notice=created")
        values = self._prepare_request_form_values(ticket_type, form=post, errors=errors)
        return request.render("service_helpdesk.portal_new_request", values, status=400)

    def _validate_request_form(self, ticket_type, post, files):
        """Check every input before anything is written.

        :return: ``(vals, answers, uploads, errors)``; ``errors`` maps a field name to a
            message for the customer and is empty when the form is valid.
        """
        errors = {}
        user_partner = request.env.user.partner_id
        subject = (post.get("subject") or "").strip()
        description = (post.get("description") or "").strip()
        if not subject:
            errors["subject"] = request.env._("Please give your request a subject.")
        elif len(subject) > SUBJECT_MAX_LENGTH:
            errors["subject"] = request.env._(
                "The subject is too long: %(max)s characters at most.", max=SUBJECT_MAX_LENGTH
            )
        if not description:
            errors["description"] = request.env._("Please describe your request.")
        elif len(description) > DESCRIPTION_MAX_LENGTH:
            errors["description"] = request.env._(
                "The description is too long: %(max)s characters at most.",
                max=DESCRIPTION_MAX_LENGTH,
            )

        own_site = user_partner._service_job_site()
        site = request.env["res.partner"]
        if ticket_type.site_mode != "hidden" and post.get("site_id"):
            site = self._request_form_sites().filtered(
                lambda partner: partner.id == inputs.parse_id(post.get("site_id"))
            )
            if not site:
                errors["site_id"] = request.env._(
                    "Please pick one of your job sites from the list."
                )
        if not site and own_site:
            # A site contact's requests always belong to its site, or it could not see them.
            site = own_site
        equipment = request.env["service.equipment"]
        if post.get("equipment_id"):
            equipment = self._request_form_find_equipment(post.get("equipment_id"))
            if not equipment:
                errors["equipment_id"] = request.env._(
                    "This equipment is not one of yours: please pick it from the list."
                )
            elif site and equipment.site_id != site:
                errors["equipment_id"] = request.env._(
                    "This equipment is not at the chosen job site."
                )
            elif not site and ticket_type.site_mode != "hidden":
                site = equipment.site_id
        if ticket_type.site_mode == "required" and not site and "site_id" not in errors:
            errors["site_id"] = request.env._("Please pick the job site this request is about.")

        answers = []
        for question in ticket_type.question_ids:
            raw = (post.get(f"question_{question.id}") or "").strip()
            value, error = self._validate_answer(question, raw)
            if error:
                errors[f"question_{question.id}"] = error
            elif value:
                answers.append(
                    {
                        "question_id": question.id,
                        "sequence": question.sequence,
                        "name": question.name,
                        "value": value,
                    }
                )

        try:
            uploads = inputs.read_uploads(files)
        except UserError as error:
            uploads, errors["attachments"] = [], error.args[0]

        vals = {
            "subject": subject,
            "description": plaintext2html(description),
            "type_id": ticket_type.id,
            "partner_id": user_partner.service_customer_id.id,
            "site_id": site.id,
            "equipment_id": equipment.id,
            "requester_id": user_partner.id,
        }
        return vals, answers, uploads, errors

    def _validate_answer(self, question, raw):
        """:return: ``(value to store, error message)``"""
        if not raw:
            if question.required:
                return None, request.env._("Please answer: %(question)s", question=question.name)
            return None, None
        kind = question.kind
        if kind in ANSWER_MAX_LENGTH:
            if len(raw) > ANSWER_MAX_LENGTH[kind]:
                return None, request.env._(
                    "This answer is too long: %(max)s characters at most.",
                    max=ANSWER_MAX_LENGTH[kind],
                )
            return raw, None
        if kind == "date":
            try:
                return fields.Date.to_string(fields.Date.to_date(raw)), None
            except ValueError:
                return None, request.env._("Please enter a date such as 2026-01-31.")
        if kind == "number":
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                number = None
            if number is None or number != number or abs(number) == float("inf"):
                return None, request.env._("Please enter a number.")
            return (str(int(number)) if number.is_integer() else str(number)), None
        if kind == "boolean":
            if raw not in ("yes", "no"):
                return None, request.env._("Please answer yes or no.")
            return (request.env._("Yes") if raw == "yes" else request.env._("No")), None
        if kind == "choice":
            if raw not in question._choice_list():
                return None, request.env._("Please pick one of the proposed answers.")
            return raw, None
        return None, request.env._("This question cannot be answered.")

    def _create_request(self, vals, answers, uploads):
        """Create the request, its answers and attachments; the form was validated."""
        vals = dict(vals, answer_ids=[fields.Command.create(answer) for answer in answers])
        # Portal contacts only read requests: the validated values are written as superuser,
        # the author of the messages stays the contact.
        ticket = request.env["service.ticket"].sudo().create(vals)
        if uploads:
            # ``attachments`` creates the files on the request and on the message, so that
            # the customer sees them in the conversation (``attachment_ids`` of a portal
            # user's post only takes files uploaded through the composer)
            ticket.message_post(
                body=Markup("<p>%s</p>") % request.env._("Files attached to the request."),
                attachments=list(uploads),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=request.env.user.partner_id.id,
            )
        return ticket

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
        notice = NOTICES.get(kwargs.get("notice"))
        values = {
            "page_name": "request",
            "ticket": ticket_sudo,
            "answers": ticket_sudo.answer_ids,
            "is_member": member,
            "subscribers": ticket_sudo._portal_subscribers(),
            "subscriber_candidates": (
                ticket_sudo._portal_subscriber_candidates() - ticket_sudo._portal_subscribers()
                if member
                else request.env["res.partner"]
            ),
            "notice": notice and (notice[0], str(notice[1])),
            "estimates": ticket_sudo._portal_estimates(),
        }
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
        ticket_sudo = self._request_check_access(ticket_id)
        if not ticket_sudo:
            return request.not_found()
        comment = _text(comment).strip()[:DESCRIPTION_MAX_LENGTH]
        author = request.env.user.partner_id
        done = (
            ticket_sudo._portal_close(comment, author)
            if action == "close"
            else ticket_sudo._portal_reopen(comment, author)
        )
        notice = {"close": "closed", "reopen": "reopened"}[action] if done else f"{action}_error"
        return request.redirect(f"/my/requests/{ticket_id}?notice={notice}")

    @http.route(
        "/my/requests/<int:ticket_id>/rate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_rate_request(self, ticket_id, rate=None, feedback=None, **_kw):
        ticket_sudo = self._request_check_access(ticket_id)
        if not ticket_sudo:
            return request.not_found()
        feedback = _text(feedback).strip()[:DESCRIPTION_MAX_LENGTH]
        error = ticket_sudo._portal_rate(_text(rate), feedback)
        return request.redirect(f"/my/requests/{ticket_id}?notice={error or 'rated'}")

    @http.route(
        "/my/requests/<int:ticket_id>/subscribers",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_request_subscribers(self, ticket_id, partner_id=None, operation=None, **_kw):
        ticket_sudo = self._request_check_access(ticket_id)
        if not ticket_sudo:
            return request.not_found()
        partner = (
            request.env["res.partner"].sudo().browse(inputs.parse_id(partner_id) or []).exists()
        )
        if not partner or operation not in ("add", "remove"):
            return request.redirect(f"/my/requests/{ticket_id}?notice=subscriber_error")
        try:
            if operation == "add":
                ticket_sudo._portal_add_subscriber(partner)
            else:
                ticket_sudo._portal_remove_subscriber(partner)
        except UserError:
            return request.redirect(f"/my/requests/{ticket_id}?notice=subscriber_error")
        notice = "subscribed" if operation == "add" else "unsubscribed"
        return request.redirect(f"/my/requests/{ticket_id}?notice={notice}")

    @http.route(
        "/my/requests/<int:ticket_id>/estimates/<int:order_id>/<any(approve,decline):decision>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_request_estimate(self, ticket_id, order_id, decision, comment=None, **_kw):
        ticket_sudo = self._request_check_access(ticket_id)
        if not ticket_sudo:
            return request.not_found()
        order = ticket_sudo._portal_estimates().filtered(lambda estimate: estimate.id == order_id)
        if not order:
            return request.not_found()
        comment = _text(comment).strip()[:DESCRIPTION_MAX_LENGTH]
        error = ticket_sudo._portal_decide_estimate(order, decision == "approve", comment)
        notice = error or ("estimate_approved" if decision == "approve" else "estimate_declined")
        return request.redirect(f"/my/requests/{ticket_id}?notice={notice}#request_estimates")
