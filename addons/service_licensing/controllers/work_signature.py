from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.service_portal.controllers import outcome
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from .work import ServiceWorkPortal


class ServiceWorkSignature(ServiceWorkPortal):
    """The customer signs on the technician's device, from the work order page (Odoo's
    portal signature form posts here, as it does to ``/my/orders/<id>/accept``)."""

    @http.route(
        "/my/work/<int:order_id>/sign",
        type="jsonrpc",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_sign(self, order_id, name=None, signature=None, **_kw):
        if not request.env["service.order"]._technician_has_licence():
            return {
                "error": request.env._("You need an active technician licence to work on orders.")
            }
        try:
            order = self._technician_order(order_id)
        except NotFound:
            return {"error": request.env._("This order does not exist or is not assigned to you.")}
        try:
            # a refused signature leaves nothing behind (no name or date without it)
            with request.env.cr.savepoint():
                order._technician_sign(name, signature)
        except (UserError, ValidationError, AccessError) as error:
            return {"error": str(error.args[0] if error.args else error)}
        outcome.success(
            request.env._("The signature is saved: the signed report is on the order."),
            key="service_work_signed",
        )
        return {"force_refresh": True, "redirect_url": f"/my/work/{order.id}"}
