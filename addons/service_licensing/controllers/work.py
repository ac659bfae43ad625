"""The technician's workspace: /my/work, the orders assigned to them, and an order's page
where they go on their way, start, add notes and photos, and mark the work done. The
checklist, the offline notes and the signature are feature files inheriting this one
(work_checklist.py, work_offline.py, work_signature.py). The models decide; these routes
check the licence and the assignment, parse, run and redirect."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.service_portal.controllers import inputs, outcome
from odoo.addons.service_portal.utils import upload_name
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .portal import ServiceLicensingPortal

# the alert after a technician's action (its id, which the tours wait for)
WORK_SAVED_KEY = "service_work_saved"


class ServiceWorkPortal(ServiceLicensingPortal):
    def _service_dashboard_values(self):
        """A technician who is no contact of the customer has a home of their own: the way
        to their work, not the customer's visits, quotes, invoices and requests."""
        values = super()._service_dashboard_values()
        if request.env.user._service_is_technician_only():
            values.update(service_dashboard_hidden=True, service_technician_home=True)
        return values

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["service_is_technician"] = request.env["service.order"]._technician_has_licence()
        return values

    def _technician_or_403(self):
        if not request.env["service.order"]._technician_has_licence():
            return request.render("service_licensing.portal_work_no_licence", status=403)
        return None

    def _technician_order(self, order_id):
        order = request.env["service.order"].browse(order_id)
        try:
            order.check_access("read")
            order._technician_check()
        except (AccessError, MissingError):
            raise NotFound() from None
        return order

    def _technician_work(self, order_id, work):
        """``work(order)`` on the order ``order_id`` of the technician: the 403 page without
        an active licence, 404 for an order that is not assigned to them (or does not
        exist). The one check of the workspace's pages and actions on an order."""
        refused = self._technician_or_403()
        if refused:
            return refused
        return work(self._technician_order(order_id))

    def _work_saved_text(self):
        return request.env._("Saved.")

    def _work_saved(self):
        """Tell the order's next page that the technician's action is saved."""
        outcome.success(self._work_saved_text(), key=WORK_SAVED_KEY)

    def _work_field_call(self, order_id, act, form=None, anchor=""):
        """Run ``act(order)``, a technician's action on their order ``order_id`` (checked as
        by :meth:`_technician_work`), and send the technician back to the order's page: with
        "Saved.", or, on a refused input, with nothing written and the message (the field it
        is about, and ``form``, the values typed, to fill the form again)."""
        return self._technician_work(
            order_id,
            lambda order: self._service_action(
                f"/my/work/{order.id}",
                act,
                order,
                form=form,
                message=self._work_saved_text(),
                key=WORK_SAVED_KEY,
                anchor=anchor,
                refusals=(UserError,),
            ),
        )

    def _work_uploaded_photos(self):
        """The photos of the note form, as (name, content): their type is read from the
        content by the model, never taken from the browser."""
        return [
            (upload_name(upload.filename or "photo"), upload.read())
            for upload in request.httprequest.files.getlist("photos")
            if upload.filename
        ]

    @http.route("/my/work", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_my_work(self, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        Order = request.env["service.order"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_work",
                # searched as the technician (record rules), shown with their site and
                # equipment, which the technician's own scope does not cover
                "open_orders": Order._technician_orders(upcoming=True).sudo(),
                "done_orders": Order._technician_orders(upcoming=False)[:10].sudo(),
            }
        )
        return request.render("service_licensing.portal_my_work", values)

    @http.route(
        "/my/work/<int:order_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_my_work_order(self, order_id, **_kw):
        return self._technician_work(order_id, self._work_order_page)

    def _work_order_page(self, order):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_work_order",
                "order": order.sudo(),
                "default_travel_minutes": order.sudo()._default_travel_minutes(),
            }
        )
        return request.render("service_licensing.portal_my_work_order", values)

    @http.route(
        "/my/work/<int:order_id>/state", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_work_set_state(self, order_id, state=None, **_kw):
        return self._work_field_call(order_id, lambda order: order._technician_set_state(state))

    @http.route(
        "/my/work/<int:order_id>/on-my-way",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_on_my_way(self, order_id, travel_minutes=None, **_kw):
        return self._work_field_call(
            order_id,
            lambda order: order._technician_on_my_way(travel_minutes),
            form=inputs.kept_form(20, travel_minutes=travel_minutes),
        )

    @http.route(
        "/my/work/<int:order_id>/note", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_work_add_note(self, order_id, note=None, client_key=None, **_kw):
        # the key the phone gave the note (work_offline.py): sent again, stored once
        return self._work_field_call(
            order_id,
            lambda order: order._technician_add_note(
                note, self._work_uploaded_photos(), client_key
            ),
            form=inputs.kept_form(5000, note=note),
        )
