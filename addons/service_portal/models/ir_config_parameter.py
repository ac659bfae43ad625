from odoo import api, models


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def set_param(self, key, value):
        result = super().set_param(key, value)
        if key.startswith("service_portal.hide_"):
            # The record rules read these flags (ir.rule._eval_context): their cached
            # domains must be computed again.
            self.env.registry.clear_cache()
        return result
