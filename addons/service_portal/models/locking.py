"""Work picked by several Odoo nodes at once (crons, retries): each row goes to one of them.

Odoo already runs a given ir.cron job on one node at a time. The rows a job picks are
locked as well, because the same work may be reached outside the job's lock (a manual run
of the method, a second job or a server action on the same rows, an older node during a
rolling upgrade): ``FOR NO KEY UPDATE SKIP LOCKED`` hands each row to one transaction and
lets the others go on with the rest, without waiting.
"""

import psycopg2

from odoo.tools import SQL


def lock_skip_locked(records):
    """The part of ``records`` that this transaction has locked now, in the same order;
    the rows another transaction holds are left out. If another transaction changed one of
    the rows since this one began (REPEATABLE READ then refuses the lock), the whole pick
    is given up: that work was done elsewhere, and the next run sees what is left.

    :param records: a recordset of a model with its own table
    :return: the locked records (a subset of ``records``)
    """
    if not records:
        return records
    cr = records.env.cr
    try:
        with cr.savepoint():
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                )
            )
            locked = {row[0] for row in cr.fetchall()}
    except psycopg2.errors.SerializationFailure:
        return records.browse()
    return records.filtered(lambda record: record.id in locked)
