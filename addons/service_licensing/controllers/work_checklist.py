"""The technician's field work on /my/work/<order>: the checklist, parts and time used,
and the equipment's past (earlier orders, documents). The models decide; these routes
parse, check that the technician is licensed and assigned, and render."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.service_portal.controllers import inputs
from odoo.http import request

from .work import ServiceWorkPortal


class ServiceWorkChecklistPortal(ServiceWorkPortal):
    @http.route()
    def portal_my_work_order(self, order_id, **kw):
        response = super().portal_my_work_order(order_id, **kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None and qcontext.get("page_name") == "service_work_order":
            order = qcontext["order"]
            qcontext.update(
                work_checklist=order._technician_checklist(),
                work_usage=order.usage_line_ids,
                work_part_suggestions=request.env[
                    "service.order.usage"
                ]._technician_part_suggestions(),
                work_history=order._technician_history(),
                work_documents=order._technician_documents(),
            )
        return response

    @http.route(
        "/my/work/<int:order_id>/checklist",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_checklist_tick(self, order_id, line_id=None, item_id=None, done=None, **_kw):
        return self._work_field_call(
            order_id,
            lambda order: request.env["service.order.checklist.line"]._technician_tick(
                order, line_id, item_id, done == "1"
            ),
            anchor="#service_work_checklist",
        )

    @http.route(
        "/my/work/<int:order_id>/usage",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_add_usage(
        self, order_id, usage_type=None, part=None, quantity=None, hours=None, **_kw
    ):
        return self._work_field_call(
            order_id,
            lambda order: request.env["service.order.usage"]._technician_add(
                order, usage_type, part, quantity, hours
            ),
            # what was typed, shown again after an error (text only, cut short)
            form=inputs.kept_form(200, part=part, quantity=quantity, hours=hours),
            anchor="#service_work_usage",
        )

    @http.route(
        "/my/work/<int:order_id>/usage/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_remove_usage(self, order_id, usage_id=None, **_kw):
        return self._work_field_call(
            order_id,
            lambda order: request.env["service.order.usage"]._technician_remove(order, usage_id),
            anchor="#service_work_usage",
        )

    @http.route(
        "/my/work/<int:order_id>/documents/<int:document_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_work_document(self, order_id, document_id, **_kw):
        return self._technician_work(
            order_id, lambda order: self._work_document_download(order, document_id)
        )

    def _work_document_download(self, order, document_id):
        """A document of the order's equipment or site, as the technician may see it."""
        document = order._technician_documents().filtered(lambda doc: doc.id == document_id)
        if not document:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(
            document, "file", filename=document.file_name or document.name
        )
        return stream.get_response(as_attachment=True)
