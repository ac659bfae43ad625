"""Arrival windows: the visit times a customer may pick, computed from the technicians'
working calendars, their leaves and the visits already planned for them.

A window is a wall-clock slot of a weekday (8:00-10:00 on Mondays) in the time zone of each
technician's working calendar: it stays 8:00-10:00 for the technician across a daylight-saving
change, and is shown to the customer in the customer's own time zone.
"""

from collections import defaultdict
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..const import (
    BUSY_STATES,
    DEFAULT_HORIZON_DAYS,
    DEFAULT_LEAD_HOURS,
    MAX_PICKED_WINDOWS,
    WEEKDAYS,
)
from ..utils import hours_to_time


class ServiceArrivalWindow(models.Model):
    _name = "service.arrival.window"
    _description = "Arrival Window Offered to Customers"
    _order = "weekday, hour_from, id"

    name = fields.Char(compute="_compute_name")
    active = fields.Boolean(default=True)
    weekday = fields.Selection(WEEKDAYS, required=True, default="0")
    hour_from = fields.Float(string="From", required=True, default=8.0)
    hour_to = fields.Float(string="To", required=True, default=10.0)

    _check_hours = models.Constraint(
        "CHECK (hour_from >= 0 AND hour_to <= 24 AND hour_from < hour_to)",
        "A window ends after it starts, within the day.",
    )

    @api.depends("weekday", "hour_from", "hour_to")
    def _compute_name(self):
        days = dict(WEEKDAYS)
        for window in self:
            start, end = hours_to_time(window.hour_from), hours_to_time(window.hour_to)
            window.name = f"{days.get(window.weekday, '')} {start:%H:%M}-{end:%H:%M}"


class ServiceTechnician(models.Model):
    """A technician the arrival windows are computed for: a user with a working calendar
    (resource.resource), and what they serve."""

    _name = "service.technician"
    _description = "Technician Availability"
    _inherit = ["resource.mixin"]
    _order = "name, id"

    name = fields.Char(related="user_id.name", store=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True)
    active = fields.Boolean(default=True)
    site_ids = fields.Many2many(
        "res.partner",
        "service_technician_site_rel",
        "technician_id",
        "partner_id",
        string="Customers and Sites Served",
        help="Empty: every customer. A customer covers all of its job sites.",
    )
    kind_ids = fields.Many2many(
        "ir.model.fields.selection",
        "service_technician_kind_rel",
        "technician_id",
        "selection_id",
        string="Order Types (Skills)",
        domain=[("field_id.model", "=", "service.order"), ("field_id.name", "=", "kind")],
        # the values of a selection field are Odoo's metadata, which only administrators
        # read: the field service managers who set the skills are given read access to it
        groups="service_portal.group_service_manager",
        help="Empty: every type of order.",
    )

    _user_unique = models.Constraint("UNIQUE (user_id)", "This user already has availability.")

    def _prepare_resource_values(self, vals, tz):
        values = super()._prepare_resource_values(vals, tz)
        user = self.env["res.users"].browse(vals.get("user_id"))
        values.update(name=user.name or "?", user_id=user.id or False)
        return values

    def _serves(self, partner, site, kind):
        """Whether this technician serves orders of this kind for this customer and site."""
        self.ensure_one()
        if self.kind_ids and kind not in self.kind_ids.mapped("value"):
            return False
        if not self.site_ids:
            return True
        place = site or partner
        served = place
        while served:
            if served in self.site_ids:
                return True
            served = served.parent_id
        return bool(partner.commercial_partner_id & self.site_ids)

    def _busy_intervals(self, start, end, exclude_order=None):
        """{technician: [(start, end)]} of the visits planned for each technician (naive UTC)."""
        busy = defaultdict(list)
        orders = (
            self.env["service.order"]
            .sudo()
            .search(
                [
                    ("technician_ids", "in", self.user_id.ids),
                    ("state", "in", BUSY_STATES),
                    ("date_start", "<", end),
                    ("calendar_date_end", ">", start),
                ]
            )
        )
        if exclude_order:
            orders -= exclude_order
        by_user = {technician.user_id: technician for technician in self}
        for order in orders:
            for user in order.technician_ids:
                if user in by_user:
                    busy[by_user[user]].append((order.date_start, order.calendar_date_end))
        booked = (
            self.env["service.order.window"]
            .sudo()
            .search(
                [
                    ("state", "=", "confirmed"),
                    ("technician_id", "in", self.user_id.ids),
                    ("window_start", "<", end),
                    ("window_end", ">", start),
                    ("order_id", "!=", exclude_order.id if exclude_order else False),
                ]
            )
        )
        for window in booked:
            busy[by_user[window.technician_id]].append((window.window_start, window.window_end))
        return busy

    def _work_intervals(self, start, end):
        """{technician: [(start, end)]}: when each works (attendance minus leaves), naive UTC."""
        start_utc, end_utc = pytz.utc.localize(start), pytz.utc.localize(end)
        result = {}
        for technician in self:
            calendar = technician.resource_calendar_id
            if not calendar:  # no working hours: never offered
                result[technician] = []
                continue
            intervals = calendar._work_intervals_batch(
                start_utc, end_utc, resources=technician.resource_id
            )[technician.resource_id.id]
            merged = []
            for local_begin, local_stop, _records in intervals:
                begin = local_begin.astimezone(pytz.utc).replace(tzinfo=None)
                stop = local_stop.astimezone(pytz.utc).replace(tzinfo=None)
                if merged and begin <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
                else:
                    merged.append((begin, stop))
            result[technician] = merged
        return result

    def _candidate_windows(self, start, end, templates):
        """[(start, end)] naive UTC of the offered windows in this technician's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or self.resource_calendar_id.tz or "UTC")
        by_weekday = defaultdict(list)
        for template in templates:
            by_weekday[int(template.weekday)].append(template)
        day = pytz.utc.localize(start).astimezone(tz).date() - timedelta(days=1)
        last_day = pytz.utc.localize(end).astimezone(tz).date()
        windows = []
        while day <= last_day:
            for template in by_weekday.get(day.weekday(), []):
                local_start = tz.localize(datetime.combine(day, hours_to_time(template.hour_from)))
                local_end = tz.localize(datetime.combine(day, hours_to_time(template.hour_to)))
                window = (
                    local_start.astimezone(pytz.utc).replace(tzinfo=None),
                    local_end.astimezone(pytz.utc).replace(tzinfo=None),
                )
                if window[0] >= start and window[1] <= end:
                    windows.append(window)
            day += timedelta(days=1)
        return windows


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

    @api.depends("window_start", "window_end")
    def _compute_label(self):
        for window in self:
            window.label = window.order_id._arrival_format(window.window_start, window.window_end)

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


class ServiceOrder(models.Model):
    _inherit = "service.order"

    arrival_window_ids = fields.One2many(
        "service.order.window", "order_id", string="Arrival Windows", groups="base.group_user"
    )
    arrival_window_text = fields.Char(
        string="Arrival Window",
        compute="_compute_arrival_texts",
        help="The confirmed arrival window, in the customer's time zone.",
    )
    en_route_since = fields.Datetime(string="On the Way Since", copy=False, readonly=True)
    expected_arrival_start = fields.Datetime(copy=False, readonly=True)
    expected_arrival_end = fields.Datetime(copy=False, readonly=True)
    is_en_route = fields.Boolean(
        string="On the Way",
        compute="_compute_is_en_route",
        store=True,
        help="The technician said they are on the way and has not started yet.",
    )
    expected_arrival_text = fields.Char(string="Expected Arrival", compute="_compute_arrival_texts")

    @api.depends("state", "en_route_since")
    def _compute_is_en_route(self):
        for order in self:
            order.is_en_route = bool(order.en_route_since) and order.state == "scheduled"

    @api.depends("date_start", "date_end", "expected_arrival_start", "expected_arrival_end")
    @api.depends_context("uid")
    def _compute_arrival_texts(self):
        for order in self:
            confirmed = order.sudo().arrival_window_ids.filtered(
                lambda window: window.state == "confirmed"
            )[:1]
            order.arrival_window_text = (
                order._arrival_format(confirmed.window_start, confirmed.window_end)
                if confirmed
                else False
            )
            order.expected_arrival_text = (
                order._arrival_format(order.expected_arrival_start, order.expected_arrival_end)
                if order.expected_arrival_start
                else False
            )

    def write(self, vals):
        if "date_start" in vals and "en_route_since" not in vals:
            vals = dict(vals, en_route_since=False)
        result = super().write(vals)
        if {"state", "date_start", "date_end", "technician_ids"} & vals.keys():
            self._arrival_release_stale_windows()
        return result

    def _arrival_release_stale_windows(self):
        """Give back the confirmed window of a visit cancelled, or moved or reassigned by
        hand: it no longer holds the technician's time."""
        windows = self.sudo().arrival_window_ids.filtered(
            lambda window: (
                window.state == "confirmed"
                and (
                    window.order_id.state == "cancelled"
                    or window.order_id.date_start != window.window_start
                    or window.order_id.date_end != window.window_end
                    or window.technician_id not in window.order_id.technician_ids
                )
            )
        )
        windows.write({"state": "cancelled"})

    # ------------------------------------------------------------------
    # Time zones and labels
    # ------------------------------------------------------------------

    def _arrival_tz(self):
        """The zone the windows are told in: the one of every time the customer reads
        (``_service_tz``), never the viewer's own, so that page and email agree."""
        return self._service_tz()

    def _arrival_format(self, start, end, show_zone=True):
        """A window as the customer reads it everywhere (``_service_format_window``)."""
        if not start or not end:
            return ""
        return self._service_format_window(start, end, show_zone=show_zone)

    # ------------------------------------------------------------------
    # Free windows
    # ------------------------------------------------------------------

    @api.model
    def _arrival_horizon(self):
        params = self.env["ir.config_parameter"].sudo()
        lead = int(params.get_param("service_portal.arrival_lead_hours", DEFAULT_LEAD_HOURS))
        days = int(params.get_param("service_portal.arrival_horizon_days", DEFAULT_HORIZON_DAYS))
        start = fields.Datetime.now().replace(second=0, microsecond=0) + timedelta(hours=lead)
        return start, start + timedelta(days=days)

    def _arrival_free_windows(self, start=None, end=None, exact=False):
        """{(start, end): technicians free} for this order (a new record for a visit not yet
        asked for), naive UTC, sorted. ``exact`` checks the window from ``start`` to ``end``
        even if the templates do not offer it (a dispatcher's own proposal)."""
        self.ensure_one()
        order = self.sudo()
        partner, site, kind = order.partner_id, order.site_id, order.kind or "service"
        horizon_start, horizon_end = self._arrival_horizon()
        start = start or horizon_start
        end = end or horizon_end
        templates = self.env["service.arrival.window"].sudo().search([("active", "=", True)])
        technicians = (
            self.env["service.technician"]
            .sudo()
            .search([("user_id.active", "=", True)])
            .filtered(lambda technician: technician._serves(partner, site, kind))
        )
        technicians = technicians.filtered(
            lambda technician: order._arrival_technician_can_work(technician.user_id)
        )
        if not technicians or (not templates and not exact):
            return {}
        work = technicians._work_intervals(start, end)
        busy = technicians._busy_intervals(start, end, exclude_order=order._origin or None)
        free = defaultdict(lambda: self.env["res.users"])
        for technician in technicians:
            candidates = (
                [(start, end)] if exact else technician._candidate_windows(start, end, templates)
            )
            for window in candidates:
                works = any(
                    begin <= window[0] and window[1] <= stop for begin, stop in work[technician]
                )
                clashes = any(
                    begin < window[1] and window[0] < stop for begin, stop in busy[technician]
                )
                if works and not clashes:
                    free[window] |= technician.user_id
        return dict(sorted(free.items()))

    def _arrival_technician_can_work(self, user):
        """Hook: whether ``user`` may be booked at all (service_licensing asks for a licence)."""
        return bool(user)

    def _arrival_offered(self):
        """[(key, label)] of the free windows a customer may pick, for the portal forms."""
        return [
            (self._arrival_key(start, end), self._arrival_format(start, end, show_zone=False))
            for start, end in self._arrival_free_windows()
        ]

    @staticmethod
    def _arrival_key(start, end):
        return f"{start:%Y-%m-%dT%H:%M}/{end:%Y-%m-%dT%H:%M}"

    def _arrival_parse_picks(self, keys):
        """The windows picked in a portal form, checked against the free ones now."""
        keys = [key for key in dict.fromkeys(keys or []) if isinstance(key, str) and key]
        if len(keys) > MAX_PICKED_WINDOWS:
            raise UserError(self.env._("Pick %(count)s windows at most.", count=MAX_PICKED_WINDOWS))
        free = {
            self._arrival_key(start, end): (start, end)
            for start, end in self._arrival_free_windows()
        }
        picked = []
        for key in keys:
            if key not in free:
                raise UserError(
                    self.env._(
                        "One of the windows you picked is no longer free: pick again among "
                        "those shown."
                    )
                )
            picked.append(free[key])
        return picked

    def _arrival_propose(self, windows):
        """Record the windows the customer picked for the dispatcher to confirm."""
        self.ensure_one()
        order = self.sudo()
        order.arrival_window_ids.filtered(lambda window: window.state == "proposed").write(
            {"state": "cancelled"}
        )
        self.env["service.order.window"].sudo().create(
            [
                {"order_id": order.id, "window_start": start, "window_end": end}
                for start, end in windows
            ]
        )

    def _portal_request_reschedule_windows(self, keys, reason):
        """Called from the portal: the customer asks to move the visit to one of the picked
        free windows."""
        self._service_check_customer_contact()
        self._check_customer_can_change()
        windows = self._arrival_parse_picks(keys)
        if not windows:
            raise UserError(self.env._("Pick at least one window that suits you."))
        self.write(
            {
                "customer_request": "reschedule",
                "customer_request_date": windows[0][0],
                "customer_request_note": reason,
            }
        )
        self._arrival_propose(windows)
        self._post_customer_request()

    def action_accept_customer_request(self):
        # a move asked with windows is accepted by confirming its first free window
        with_windows = self.filtered(
            lambda order: (
                order.customer_request == "reschedule"
                and "proposed" in order.arrival_window_ids.mapped("state")
            )
        )
        for order in with_windows:
            order._arrival_confirm_first()
        return super(ServiceOrder, self - with_windows).action_accept_customer_request()

    def _arrival_confirm_first(self):
        self.ensure_one()
        errors = []
        for window in self.arrival_window_ids.filtered(lambda w: w.state == "proposed"):
            try:
                return window.action_confirm()
            except UserError as error:
                errors.append(str(error.args[0]))
        raise UserError(
            self.env._(
                "None of the windows the customer picked is free any more: propose another. "
                "%(errors)s",
                errors=" ".join(errors),
            )
        )

    def action_confirm_first_window(self):
        for order in self:
            order._arrival_confirm_first()
        return True

    # ------------------------------------------------------------------
    # On my way
    # ------------------------------------------------------------------

    @api.model
    def _default_travel_minutes(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("service_portal.default_travel_minutes", 30)
        )

    def _service_on_my_way(self, travel_minutes=None):
        """The technician leaves for this visit: tell the customer's contacts when to expect
        them. The expected arrival is the travel time from now, with a quarter of an hour's
        margin, narrowed to the arrival window when it falls within it."""
        self.ensure_one()
        if self.state != "scheduled":
            raise UserError(self.env._("Only a scheduled visit can be on the way."))
        if travel_minutes in (None, ""):
            travel_minutes = self._default_travel_minutes()
        try:
            travel_minutes = int(travel_minutes)
        except (TypeError, ValueError):
            raise UserError(self.env._("Enter the travel time in minutes.")) from None
        if not 0 <= travel_minutes <= 24 * 60:
            raise UserError(self.env._("Enter a travel time between 0 and 1,440 minutes."))
        now = fields.Datetime.now().replace(microsecond=0)
        eta = now + timedelta(minutes=travel_minutes)
        start, end = eta - timedelta(minutes=15), eta + timedelta(minutes=15)
        start = max(start, now)
        if self.date_start and self.date_end:
            narrowed = (max(start, self.date_start), min(end, self.date_end))
            if narrowed[0] < narrowed[1]:
                start, end = narrowed
        self.write(
            {
                "en_route_since": now,
                "expected_arrival_start": start,
                "expected_arrival_end": end,
            }
        )
        recipients = self._customer_recipients("visit_reminder")
        if recipients:
            # followers who are portal contacts hear of it only if they want visit emails
            self.with_context(service_notify_kind="visit_reminder").message_post_with_source(
                "service_portal.mail_template_on_my_way",
                subtype_xmlid="mail.mt_comment",
                partner_ids=recipients.ids,
            )
        return True

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        kind = self.env.context.get("service_notify_kind")
        if not kind:
            return recipients
        return self.env["res.partner"]._service_filter_recipients(recipients, kind)
