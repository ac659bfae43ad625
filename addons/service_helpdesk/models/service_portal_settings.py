from odoo import api, models


class ServicePortalSettings(models.AbstractModel):
    _inherit = "service.portal.settings"

    @api.model
    def _get_portal_sections(self):
        return [*super()._get_portal_sections(), "helpdesk"]
