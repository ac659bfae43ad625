from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo moves the contacts of the merged partners under the destination in SQL (their
        ``parent_id``), where the ORM does not follow with ``parent_path``: the portal's
        ``child_of`` reads it, so the moved contacts get the destination's path here, and the
        cached record rules of the portal users now under it are dropped (their scope may be
        the destination now). Merges are rare: clearing the caches then is fine."""
        result = super()._update_foreign_keys(src_partners, dst_partner)
        Partner = self.env["res.partner"].with_context(active_test=False)
        Partner.invalidate_model(["parent_id", "parent_path"])
        Partner.search([("parent_id", "=", dst_partner.id)])._parent_store_update()
        if dst_partner._service_portal_contacts(with_archived=True):
            self.env.registry.clear_cache()
        return result
