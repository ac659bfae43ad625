from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _service_site_activity_counts(self, sites):
        counts = super()._service_site_activity_counts(sites)
        Ticket = self.env["service.ticket"]
        if Ticket.has_access("read"):
            for site, count in Ticket._portal_open_count_by_site(sites).items():
                counts[site.id]["requests"] = count
        return counts
