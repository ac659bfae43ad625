import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ServiceOrderWindow(models.Model):
    """An arrival window of an order: proposed (by the customer, or by a dispatcher), or
    confirmed for one technician. No technician is ever confirmed twice into overlapping
    windows: the database refuses it (see ``init``)."""

    _name = "service.order.window"
    _description = "Arrival Window of a Service Order"
    _order = "window_start, id"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade", index=True)
    window_start = fields.Datetime(required=True)
    window_end = fields.Datetime(required=True)
    technician_id = fields.Many2one(
        "res.users", help="Empty: the first technician free in the window."
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("confirmed", "Confirmed"), ("cancelled", "Superseded")],
        default="proposed",
        required=True,
        index=True,
    )
    label = fields.Char(string="Window", compute="_compute_label")

    _check_order = models.Constraint(
        "CHECK (window_start < window_end)", "A window ends after it starts."
    )

    @api.depends("window_start", "window_end")
    def _compute_label(self):
        for window in self:
            window.label = window.order_id._arrival_format(window.window_start, window.window_end)

    def init(self):
        # The guarantee two customers never get the same technician's same time: an
        # exclusion constraint on confirmed windows (btree_gist lets GiST compare user ids).
        cr = self.env.cr
        cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        cr.execute(
            SQL(
                "SELECT 1 FROM pg_constraint WHERE conname = %s",
                "service_order_window_no_double_booking",
            )
        )
        if not cr.fetchone():
            cr.execute(
                SQL(
                    """ALTER TABLE service_order_window
                       ADD CONSTRAINT service_order_window_no_double_booking
                       EXCLUDE USING gist (
                           technician_id WITH =, tsrange(window_start, window_end) WITH &&
                       ) WHERE (state = 'confirmed')"""
                )
            )

    def action_confirm(self):
        """Book the order into this window, for its technician or the first one free."""
        self.ensure_one()
        order = self.order_id
        if self.state != "proposed":
            raise UserError(self.env._("Only a proposed window can be confirmed."))
        if order.state not in ("draft", "scheduled"):
            raise UserError(self.env._("Only an upcoming visit can be given a window."))
        free = order._arrival_free_windows(self.window_start, self.window_end, exact=True)
        technicians = free.get((self.window_start, self.window_end), self.env["res.users"])
        technician = self.technician_id
        if technician and technician not in technicians:
            raise UserError(
                self.env._(
                    "%(technician)s is not free in this window: choose another technician or "
                    "another window.",
                    technician=technician.name,
                )
            )
        if not technician:
            preferred = technicians & order.technician_ids
            technician = (preferred or technicians)[:1]
        if not technician:
            raise UserError(
                self.env._("No technician is free in this window any more: propose another.")
            )
        # the previous window of a visit that moves is given up first, with its technician
        previous = (order.arrival_window_ids - self).filtered(
            lambda window: window.state != "cancelled"
        )
        released = previous.filtered(lambda w: w.state == "confirmed").technician_id - technician
        previous.write({"state": "cancelled"})
        try:
            with self.env.cr.savepoint():
                self.write({"state": "confirmed", "technician_id": technician.id})
                self.env.flush_all()
        except psycopg2.errors.ExclusionViolation:
            raise UserError(
                self.env._(
                    "%(technician)s was just booked into this window by another order: "
                    "propose another window.",
                    technician=technician.name,
                )
            ) from None
        order.write(
            {
                "date_start": self.window_start,
                "date_end": self.window_end,
                "technician_ids": [Command.unlink(user.id) for user in released]
                + [Command.link(technician.id)],
                "state": "scheduled",
                "customer_request": False,
                "customer_request_date": False,
            }
        )
        order._notify_customer("service_portal.mail_template_arrival_confirmed")
        return True
