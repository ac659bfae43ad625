"""Our fields on Odoo's models take the ``service_`` prefix (issue: the house). The columns
and the fields' records are renamed before the module loads, so that no value is lost and
nothing that points at a field (its xmlid, its access rights, a view) is recreated."""

from odoo.addons.service_portal.utils import rename_fields

PARTNER_RENAMES = {
    "is_job_site": "service_is_job_site",
    "job_site_ids": "service_job_site_ids",
    "job_site_count": "service_job_site_count",
    "notify_invoices": "service_notify_invoices",
    "notify_visit_reminders": "service_notify_visit_reminders",
    "notify_order_updates": "service_notify_order_updates",
    "notify_request_updates": "service_notify_request_updates",
    "use_company_address": "service_use_company_address",
    "pending_email": "service_pending_email",
}
# model: {old: new}; res.users shows res.partner's fields through _inherits
RENAMES = {"res.partner": PARTNER_RENAMES, "res.users": PARTNER_RENAMES}


def migrate(cr, version):
    rename_fields(cr, RENAMES)
