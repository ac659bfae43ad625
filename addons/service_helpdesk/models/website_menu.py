from odoo import models


class WebsiteMenu(models.Model):
    _inherit = "website.menu"

    def _compute_visible(self):
        """Hide the Help Desk menu when the operator hid the Help Desk (service_portal's
        portal settings)."""
        result = super()._compute_visible()
        if not self.env["service.kb.article"]._kb_website_shown():
            for menu in self.filtered(lambda menu: (menu.url or "").startswith("/helpdesk")):
                menu.is_visible = False
        return result
