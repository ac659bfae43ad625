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

    @api.model
    def _service_get_int(self, key, default, minimum=None):
        """The whole number a setting holds: ``default`` when it is unset or not a whole
        number, raised to ``minimum`` when it is lower."""
        value = self.sudo().get_param(key)
        try:
            number = default if value in (None, False, "") else int(value)
        except (TypeError, ValueError):
            number = default
        return number if minimum is None else max(number, minimum)
