from werkzeug.urls import url_encode

from odoo import http
from odoo.addons.service_portal.const import ALLOWED_UPLOADS, MAX_UPLOAD_FILES, MAX_UPLOAD_SIZE
from odoo.addons.service_portal.controllers import inputs, outcome
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError
from odoo.http import request

from ..utils import form_text
from .portal import HelpdeskCustomerPortal


class HelpdeskRequestForm(HelpdeskCustomerPortal):
    """The form of a new request (/my/requests/new): the nature of request first, then its
    questions. The request is checked and written by the model
    (``service.ticket._portal_create_request``); a refusal goes back to the form, filled
    again from the outcome (``service_form``), with the refused field marked."""

    def _request_form_types(self):
        return request.env["service.ticket.type"].search([])

    def _request_form_find_equipment(self, equipment_id):
        """The equipment of that id when the contact may pick it, else an empty recordset."""
        equipment_id = inputs.parse_id(equipment_id)
        Equipment = request.env["service.equipment"]
        if not equipment_id:
            return Equipment
        return Equipment._portal_request_choices(equipment_id=equipment_id)

    def _request_form_prefill(self, form):
        """Check the ``site_id`` and ``equipment_id`` a link passed to the form (e.g. from an
        equipment page).

        :return: ``(form, error)``: the form without the first unknown or foreign id, and
            the ``FieldUserError`` that tells it (None when the link is right)
        """
        form = dict(form)
        if form.get("site_id") and not request.env[
            "service.ticket"
        ]._portal_request_sites().filtered(
            lambda site: site.id == inputs.parse_id(form["site_id"])
        ):
            form.pop("site_id")
            return form, FieldUserError(
                request.env._("Please pick one of your job sites from the list."), "site_id"
            )
        if form.get("equipment_id"):
            equipment = self._request_form_find_equipment(form["equipment_id"])
            if not equipment:
                form.pop("equipment_id")
                return form, FieldUserError(
                    request.env._(
                        "This equipment is not one of yours: please pick it from the list."
                    ),
                    "equipment_id",
                )
            if not form.get("site_id"):
                form["site_id"] = str(equipment.site_id.id or "")
            elif inputs.parse_id(form["site_id"]) != equipment.site_id.id:
                form.pop("equipment_id")
                return form, FieldUserError(
                    request.env._("This equipment is not at the chosen job site."), "equipment_id"
                )
        return form, None

    def _prepare_request_form_values(self, ticket_type=None, form=None):
        values = self._prepare_portal_layout_values()
        # after a refusal, what the customer sent (the link's values otherwise)
        form = values["service_form"] or form or {}
        sites = request.env["service.ticket"]._portal_request_sites()
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
                "equipment_all": request.env["service.equipment"]._portal_request_choices(),
                "equipment_site": chosen_site,
                "prefill_query": {
                    key: form[key]
                    for key in ("site_id", "equipment_id")
                    if isinstance(form.get(key), str) and form[key]
                },
                "kb_shown": request.env["service.kb.article"]._kb_website_shown(),
                "form": form,
                # every refused field, marked with its own message
                "errors": (
                    values["service_error_fields"] or {"form": values["service_error"]}
                    if values["service_error"]
                    else {}
                ),
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

    def _request_form_url(self, ticket_type=None, form=None):
        query = {"type_id": ticket_type.id} if ticket_type else {}
        query.update({key: value for key, value in (form or {}).items() if value})
        return f"/my/requests/new?{url_encode(query)}" if query else "/my/requests/new"

    def _unknown_request_type_error(self):
        return FieldUserError(
            request.env._(
                "This nature of request does not exist (any more): please pick one below."
            ),
            "type_id",
        )

    @http.route(
        "/my/requests/new", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_new_request(self, type_id=None, site_id=None, equipment_id=None, **_kw):
        ticket_type = self._get_request_type(type_id)
        form, error = self._request_form_prefill(
            {"site_id": form_text(site_id), "equipment_id": form_text(equipment_id)}
        )
        if type_id and not ticket_type:
            error = self._unknown_request_type_error()
        if error:
            # the link is refused: told on the same form without what it is refused for
            outcome.error(error)
            return request.redirect(self._request_form_url(ticket_type, form))
        values = self._prepare_request_form_values(ticket_type, form=form)
        return request.render("service_helpdesk.portal_new_request", values)

    @http.route("/my/requests/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_new_request_submit(self, **post):
        form = {key: value for key, value in post.items() if isinstance(value, str)}
        ticket_type = self._get_request_type(form.get("type_id"))
        files = [
            file
            for file in request.httprequest.files.getlist("attachments")
            if file and file.filename
        ]
        done, ticket = self._service_try(
            self._request_form_submit, ticket_type, form, files, form=self._request_form_kept(form)
        )
        if not done:
            return request.redirect(self._request_form_url(ticket_type))
        request.env["service.kb.article"]._kb_record_request_sent(request.session)
        outcome.success(
            request.env._("Your request was sent. We will answer here and by email."),
            key="request_created",
        )
        return request.redirect(f"/my/requests/{ticket.id}")

    def _request_form_submit(self, ticket_type, form, files):
        """The request the form sent, created; a UserError when it is refused (a
        FieldUserError naming the field: the nature of request, a file, a value)."""
        if not ticket_type:
            raise self._unknown_request_type_error()
        try:
            uploads = inputs.read_uploads(files)
        except UserError as error:
            raise FieldUserError(error.args[0], "attachments") from None
        return self._request_form_create(ticket_type, form, uploads)

    def _request_form_kept(self, form):
        """What the form shows again after a refusal (``service_form``): the values sent,
        files aside (the browser cannot be given them back)."""
        return {key: value for key, value in form.items() if key != "type_id"}

    def _request_form_create(self, ticket_type, form, uploads):
        return request.env["service.ticket"]._portal_create_request(ticket_type, form, uploads)
