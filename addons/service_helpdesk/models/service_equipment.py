from odoo import api, models
from odoo.fields import Domain


class ServiceEquipment(models.Model):
    _inherit = "service.equipment"

    @api.model
    def _portal_request_choices(self, site=None, equipment_id=None):
        """Equipment the current user may pick on the portal request form: searched with the
        user's own rights (the record rules scope it to the contact's customer or site),
        limited to ``site`` or to one ``equipment_id``; none when the operator hides the
        equipment section of the portal."""
        shown = self.env["service.portal.settings"].get_shown_sections().get("equipment", True)
        if not shown or not self.has_access("read"):
            return self.browse()
        domain = Domain.TRUE
        if site:
            domain &= Domain("site_id", "=", site.id)
        if equipment_id:
            domain &= Domain("id", "=", equipment_id)
        return self.search(domain, order="name, id", limit=200)
