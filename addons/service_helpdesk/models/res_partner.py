from odoo import api, fields, models

from ..const import PORTAL_REQUEST_LIST_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_notify_request_updates = fields.Boolean(
        string="Email Me Request Updates", default=True, help="Portal notification preference."
    )

    @api.model
    def _service_notification_preferences(self):
        return {
            **super()._service_notification_preferences(),
            "request": (
                "service_notify_request_updates",
                self.env._("Replies and status changes on my requests"),
            ),
        }

    @api.model
    def _service_site_activity_counts(self, sites):
        counts = super()._service_site_activity_counts(sites)
        Ticket = self.env["service.ticket"]
        if Ticket.has_access("read"):
            for site, count in Ticket._portal_open_count_by_site(sites).items():
                counts[site.id]["requests"] = count
        return counts

    @api.model
    def _service_site_activity_label(self, activity, count):
        if activity == "requests":
            return (
                self.env._("1 open request")
                if count == 1
                else self.env._("%(count)s open requests", count=count)
            )
        return super()._service_site_activity_label(activity, count)

    @api.model
    def _service_site_tab_records(self, site, tab):
        if tab == "requests":
            # the open requests of the site, searched as the current user (record rules)
            return {
                "requests": self.env["service.ticket"].search_fetch(
                    [("site_id", "=", site.id), ("state", "=", "open")],
                    PORTAL_REQUEST_LIST_FIELDS,
                    limit=100,
                )
            }
        return super()._service_site_tab_records(site, tab)
