import werkzeug.exceptions

from odoo import models
from odoo.exceptions import AccessError
from odoo.http import request

from ..controllers import inputs

# What an account waiting to be linked to its customer may open under /my: the waiting
# page, and the link confirming an email change.
WAITING_ROUTES = {"/my", "/my/home", "/my/account/confirm-email"}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        if inputs.is_service_endpoint(rule.endpoint):
            inputs.check_path_args(args)
        result = super()._pre_dispatch(rule, args)
        cls._service_portal_redirect_waiting(rule)
        return result

    @classmethod
    def _service_portal_redirect_waiting(cls, rule):
        path = rule.rule
        if not (path == "/my" or path.startswith("/my/")) or path in WAITING_ROUTES:
            return
        user = request.env.user
        if not user or not user._service_portal_is_waiting():
            return
        # Every portal page and action of every addon, Odoo's included: nothing before the
        # service company links the account.
        if rule.endpoint.routing.get("type") == "http":
            werkzeug.exceptions.abort(request.redirect("/my"))
        raise AccessError(request.env._("Your access is being set up."))

    @classmethod
    def _dispatch(cls, endpoint):
        # One input layer for every page of the service addons (see controllers/inputs.py).
        if request.db and inputs.is_service_endpoint(endpoint):
            request.params = inputs.clean_route_params(endpoint, request.params)
        return super()._dispatch(endpoint)
