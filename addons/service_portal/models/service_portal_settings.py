from odoo import api, models

# Portal sections the operator can hide (Settings > Field Service).
PORTAL_SECTIONS = ("documents", "equipment", "all_open_orders", "helpdesk", "equipment_request")


class ServicePortalSettings(models.AbstractModel):
    _name = "service.portal.settings"
    _description = "Portal sections shown to customers"

    @api.model
    def get_shown_sections(self):
        """{section: True when customers see it} for every section of PORTAL_SECTIONS."""
        params = self.env["ir.config_parameter"].sudo()
        return {
            section: not params.get_param(f"service_portal.hide_{section}")
            for section in PORTAL_SECTIONS
        }
