from odoo import models
from odoo.http import request

from ..controllers import inputs


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        if inputs.is_service_endpoint(rule.endpoint):
            inputs.check_path_args(args)
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _dispatch(cls, endpoint):
        # One input layer for every page of the service addons (see controllers/inputs.py).
        if request.db and inputs.is_service_endpoint(endpoint):
            request.params = inputs.clean_route_params(endpoint, request.params)
        return super()._dispatch(endpoint)
