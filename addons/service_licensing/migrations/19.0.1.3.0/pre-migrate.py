"""service.license.has_access became grants_access: the old name shadowed
BaseModel.has_access(), which broke the licence screens and chatter. Renaming the column,
its index, its field metadata and the record rules that filter on it keeps the stored
values (no recompute of every licence) and the rules working before the data is reloaded."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'service_license' AND column_name = 'has_access'"
    )
    if not cr.rowcount:
        return
    cr.execute(SQL("ALTER TABLE service_license RENAME COLUMN has_access TO grants_access"))
    cr.execute(
        SQL(
            "ALTER INDEX IF EXISTS service_license__has_access_index"
            " RENAME TO service_license__grants_access_index"
        )
    )
    cr.execute(
        SQL(
            "UPDATE ir_model_fields SET name = 'grants_access'"
            " WHERE model = 'service.license' AND name = 'has_access'"
        )
    )
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET name = 'field_service_license__grants_access'"
            " WHERE module = 'service_licensing' AND model = 'ir.model.fields'"
            " AND name = 'field_service_license__has_access'"
        )
    )
    # Rules of any module (or made by hand) that filter licences on the old name.
    cr.execute(
        SQL(
            "UPDATE ir_rule SET domain_force = replace(domain_force, %s, %s)"
            " WHERE domain_force LIKE %s",
            "'has_access'",
            "'grants_access'",
            "%'has_access'%",
        )
    )
