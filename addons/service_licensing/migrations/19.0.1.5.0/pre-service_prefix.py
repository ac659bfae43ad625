"""Our fields on Odoo's models take the ``service_`` prefix (issue: the house). The columns
and the fields' records are renamed before the module loads, so that no value is lost and
nothing that points at a field (its xmlid, its access rights, a view) is recreated."""

from odoo.tools import SQL

RENAMES = {
    # model: {old: new}
    "product.template": {"stripe_price_id": "service_stripe_price_id"},
    # product.product shows the template's fields through _inherits
    "product.product": {"stripe_price_id": "service_stripe_price_id"},
}


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
