from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Record rules may read which portal sections the operator hid, so that a hidden
        section is closed on every surface (JSON-RPC, /web/content, reports), not only on
        the portal pages that a controller checks."""
        context = super()._eval_context()
        shown = self.env["service.portal.settings"].sudo().get_shown_sections()
        context["service_portal_hidden_sections"] = frozenset(
            section for section, is_shown in shown.items() if not is_shown
        )
        return context
