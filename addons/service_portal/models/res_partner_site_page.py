from odoo import api, models

from ..const import PORTAL_EQUIPMENT_LIST_FIELDS, PORTAL_ORDER_LIST_FIELDS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _service_site_tab_records(self, site, tab):
        """{kind: records} a tab of the job site ``site``'s portal page lists: "orders" on the
        service and install tabs, "equipment" and "documents" on theirs (100 at most). They
        are searched as the current user (``self.env``): the record rules choose them, even
        when ``site`` is read as superuser. Addons add their tabs."""
        if tab in ("service", "install"):
            kinds = ["service", "maintenance", "inspection"] if tab == "service" else ["install"]
            return {
                "orders": self.env["service.order"].search_fetch(
                    [("site_id", "=", site.id), ("kind", "in", kinds)],
                    PORTAL_ORDER_LIST_FIELDS,
                    limit=100,
                )
            }
        if tab == "equipment":
            return {
                "equipment": self.env["service.equipment"].search_fetch(
                    [("site_id", "=", site.id)], PORTAL_EQUIPMENT_LIST_FIELDS, limit=100
                )
            }
        if tab == "documents":
            return {
                "documents": self.env["service.document"].search(
                    [("site_id", "=", site.id)], limit=100
                )
            }
        return {}
