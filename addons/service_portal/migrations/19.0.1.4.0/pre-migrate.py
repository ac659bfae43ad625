"""Since 19.0.1.4.0 contacts carry Odoo's materialized path of their tree (res.partner
``parent_path``, ``_parent_store``), which the portal record rules' ``child_of`` reads.

The column is created and filled here, before the module's models are loaded, by one
recursive SQL statement over the whole table (the ORM keeps it afterwards): not by a loop
over the contacts in Python. The ORM then finds the column filled and adds its index."""

import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if sql.column_exists(cr, "res_partner", "parent_path"):
        return
    sql.create_column(cr, "res_partner", "parent_path", "VARCHAR")
    cr.execute(
        SQL(
            """WITH RECURSIVE tree(id, parent_path) AS (
                    SELECT id, concat(id, '/') FROM res_partner WHERE parent_id IS NULL
                    UNION
                    SELECT child.id, concat(tree.parent_path, child.id, '/')
                      FROM res_partner child JOIN tree ON child.parent_id = tree.id
               )
               UPDATE res_partner partner SET parent_path = tree.parent_path
                 FROM tree WHERE partner.id = tree.id"""
        )
    )
    _logger.info("parent_path filled for %s contacts", cr.rowcount)
