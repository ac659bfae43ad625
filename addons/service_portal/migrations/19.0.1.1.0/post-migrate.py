"""Since 19.0.1.1.0 service orders and equipment get their portal access token when they
are created, so that the read-only portal pages (readonly=True routes, served by a
PostgreSQL replica when there is one) never write one: give the existing records theirs."""

from odoo.tools import SQL


def migrate(cr, version):
    for table in ("service_order", "service_equipment"):
        cr.execute(
            SQL(
                "UPDATE %s SET access_token = gen_random_uuid()::text WHERE access_token IS NULL",
                SQL.identifier(table),
            )
        )
