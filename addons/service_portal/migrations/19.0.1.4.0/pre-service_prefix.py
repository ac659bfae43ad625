"""Our fields on Odoo's models take the ``service_`` prefix (issue: the house). The columns
and the fields' records are renamed before the module loads, so that no value is lost and
nothing that points at a field (its xmlid, its access rights, a view) is recreated."""

from odoo.tools import SQL

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


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    for model, fields in RENAMES.items():
        table = model.replace(".", "_")
        suffix = f"field_{table}__"
        for old, new in fields.items():
            if _column_exists(cr, table, old) and not _column_exists(cr, table, new):
                cr.execute(
                    SQL(
                        "ALTER TABLE %s RENAME COLUMN %s TO %s",
                        SQL.identifier(table),
                        SQL.identifier(old),
                        SQL.identifier(new),
                    )
                )
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s"
                " AND NOT EXISTS (SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s)",
                [new, model, old, model, new],
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s"
                " AND NOT EXISTS (SELECT 1 FROM ir_model_data d WHERE d.model = 'ir.model.fields'"
                " AND d.name = %s AND d.module = ir_model_data.module)",
                [suffix + new, suffix + old, suffix + new],
            )
