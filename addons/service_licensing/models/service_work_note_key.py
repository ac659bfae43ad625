"""A note typed offline on the technician's phone is sent again when the connection
returns, maybe twice (a retry, two tabs, a doubled tap): the phone gives each note a key
of its own, and the server stores a note once per key."""

import uuid

from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.tools import SQL


class ServiceWorkNoteKey(models.Model):
    _name = "service.work.note.key"
    _description = "Key of a note sent from the technician's phone"
    _log_access = False

    order_id = fields.Many2one(
        "service.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="cascade")
    client_key = fields.Char(required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    # per order and technician: another technician's key, or a key sent on another order,
    # stores a note of its own and tells nothing about the first one
    _client_key_uniq = models.Constraint(
        "UNIQUE (order_id, user_id, client_key)", "A note is stored once per key."
    )

    @api.model
    def _normalize(self, client_key):
        """The key as stored (a lower-case UUID), or None when none was sent.

        :raise FieldUserError: on anything else than a UUID
        """
        client_key = (client_key or "").strip()
        if not client_key:
            return None
        try:
            if len(client_key) > 64:
                raise ValueError(client_key)
            return str(uuid.UUID(client_key))
        except ValueError:
            raise FieldUserError(
                self.env._("This note came with an invalid key: reload the page and add it again."),
                "note",
            ) from None

    @api.model
    def _claim(self, order, client_key):
        """Record ``client_key`` (as sent by the phone, or None) for ``order`` and the
        current user.

        A concurrent transaction that recorded the same key first makes this one wait for
        its end; if it committed, PostgreSQL (REPEATABLE READ) raises a serialization
        failure, and Odoo serves the request again, which then finds the key.

        :return: True when the key is new or none was sent (the note is to be stored),
            False when a note was already stored with it
        :raise FieldUserError: on a key that is no UUID
        """
        client_key = self._normalize(client_key)
        if client_key is None:
            return True
        self.env.cr.execute(
            SQL(
                """INSERT INTO service_work_note_key (order_id, user_id, client_key, date)
                   VALUES (%s, %s, %s, now() at time zone 'UTC')
                   ON CONFLICT (order_id, user_id, client_key) DO NOTHING
                   RETURNING id""",
                order.id,
                self.env.uid,
                client_key,
            )
        )
        return bool(self.env.cr.fetchone())
