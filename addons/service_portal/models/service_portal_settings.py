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

    @api.model
    def _portal_home_counts(self, counters):
        """{counter: count} of the portal home's entries asked for in ``counters`` (Odoo's
        /my/counters): the current user's records, as their record rules let them read;
        0 for a hidden section or a model the user may not read. Nothing is counted that
        is not asked for. Addons add their counters."""
        counts = {}
        if not counters:
            return counts
        env = self.env
        sections = self.get_shown_sections()
        if "site_count" in counters:
            counts["site_count"] = env["res.partner"]._service_portal_sites_count()
        if "service_order_count" in counters:
            Order = env["service.order"]
            counts["service_order_count"] = (
                Order.search_count([("is_open", "=", True)]) if Order.has_access("read") else 0
            )
        for counter, model, section in (
            ("equipment_count", "service.equipment", "equipment"),
            ("service_document_count", "service.document", "documents"),
        ):
            if counter in counters:
                Model = env[model]
                counts[counter] = (
                    Model.search_count([]) if sections[section] and Model.has_access("read") else 0
                )
        return counts
