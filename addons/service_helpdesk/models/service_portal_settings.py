from odoo import api, models


class ServicePortalSettings(models.AbstractModel):
    _inherit = "service.portal.settings"

    @api.model
    def _get_portal_sections(self):
        return [*super()._get_portal_sections(), "helpdesk"]

    @api.model
    def _portal_home_counts(self, counters):
        counts = super()._portal_home_counts(counters)
        if "request_count" in counters:
            Ticket = self.env["service.ticket"]
            counts["request_count"] = (
                Ticket.search_count(Ticket._service_portal_scope_domain())
                if Ticket.has_access("read")
                else 0
            )
        return counts
