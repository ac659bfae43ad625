from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..const import RATE_LIMITS


class ServicePortalAttempt(models.Model):
    """One attempt at a public account form (registration, new link, password reset).

    Every attempt is counted, whether an account exists for the address or not, so that
    neither the limits nor the answers tell who has an account. Kept in the database so
    that all the workers count together; rows older than a day are deleted."""

    _name = "service.portal.attempt"
    _description = "Public Account Form Attempt"
    _order = "id desc"

    kind = fields.Selection(
        [("register", "Registration"), ("reset", "Password Reset")], required=True, index=True
    )
    email = fields.Char(index=True)
    ip_address = fields.Char(string="IP Address", index=True)

    @api.model
    def _service_allow(self, kind, email, ip_address):
        """Record an attempt; raise when the network made too many (the message says
        nothing of accounts), return False when the address had too many (the caller then
        does nothing and answers as usual)."""
        limits = RATE_LIMITS[kind]
        # Workers handling the same network or address wait for each other here, so that
        # two attempts at once cannot both pass the count.
        for key in (ip_address, email):
            if key:
                self.env.cr.execute(
                    SQL(
                        "SELECT pg_advisory_xact_lock(hashtext(%s))", f"service_portal.{kind}:{key}"
                    )
                )
        since = fields.Datetime.now() - timedelta(hours=1)
        recent = [("kind", "=", kind), ("create_date", ">=", since)]
        if (
            ip_address
            and self.search_count([*recent, ("ip_address", "=", ip_address)]) >= limits["ip"]
        ):
            raise UserError(
                self.env._("Too many attempts from your network: try again in an hour.")
            )
        self.create({"kind": kind, "email": email, "ip_address": ip_address})
        return self.search_count([*recent, ("email", "=", email)]) <= limits["email"]

    @api.autovacuum
    def _gc_old_attempts(self):
        self.search([("create_date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
