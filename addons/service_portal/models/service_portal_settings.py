from odoo import api, models

from ..const import PORTAL_SECTIONS


class ServicePortalSettings(models.AbstractModel):
    _name = "service.portal.settings"
    _description = "Portal sections shown to customers"

    @api.model
    def _get_portal_sections(self):
        """The portal sections the operator can hide, each with its ``hide_<section>``
        config parameter; addons add theirs."""
        return list(PORTAL_SECTIONS)

    @api.model
    def get_shown_sections(self):
        """{section: True when customers see it} for every section of _get_portal_sections."""
        params = self.env["ir.config_parameter"].sudo()
        return {
            section: not params.get_param(f"service_portal.hide_{section}")
            for section in self._get_portal_sections()
        }
