"""Arrival windows: the visit times a customer may pick, computed from the technicians'
working calendars, their leaves and the visits already planned for them.

A window is a wall-clock slot of a weekday (8:00-10:00 on Mondays) in the time zone of each
technician's working calendar: it stays 8:00-10:00 for the technician across a daylight-saving
change, and is shown to the customer in the customer's own time zone.

Here too what else concerns the visit's time from the customer's side: asking from the
portal to move or cancel it, the reminder the day before, the technician on the way.
"""

from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import DEFAULT_HORIZON_DAYS, DEFAULT_LEAD_HOURS, MAX_PICKED_WINDOWS
from ..exceptions import FieldUserError
from .locking import lock_skip_locked


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

    def action_confirm_first_window(self):
        for order in self:
            order._arrival_confirm_first()
        return True

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
        lead = params._service_get_int("service_portal.arrival_lead_hours", DEFAULT_LEAD_HOURS)
        days = params._service_get_int("service_portal.arrival_horizon_days", DEFAULT_HORIZON_DAYS)
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
        # fetched with the fields read below: one query each instead of a search and a read
        templates = (
            self.env["service.arrival.window"]
            .sudo()
            .search_fetch([("active", "=", True)], ["weekday", "hour_from", "hour_to"])
        )
        technicians = (
            self.env["service.technician"]
            .sudo()
            .search_fetch(
                [("user_id.active", "=", True)], ["user_id", "resource_id", "resource_calendar_id"]
            )
            .filtered(lambda technician: technician._serves(partner, site, kind))
        )
        technicians = technicians.filtered(
            lambda technician: order._arrival_technician_can_work(technician.user_id)
        )
        if not technicians or (not templates and not exact):
            return {}
        work = technicians._work_intervals(start, end)
        busy = technicians._busy_intervals(start, end, exclude_order=order._origin or None)
        free = defaultdict(list)  # {window: user ids}: ids, not a union of records per window
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
                    free[window].append(technician.user_id.id)
        users = technicians.user_id
        return {window: users.browse(ids) for window, ids in sorted(free.items())}

    def _arrival_technician_can_work(self, user):
        """Hook: whether ``user`` may be booked at all (service_licensing asks for a licence)."""
        return bool(user)

    def _arrival_offered(self):
        """[(key, label)] of the free windows a customer may pick, for the portal forms."""
        windows = self._arrival_free_windows()
        if not windows:
            return []
        # the labels of _arrival_format, with the zone and the language looked up once
        label = self._service_window_formatter(show_zone=False)
        return [(self._arrival_key(start, end), label(start, end)) for start, end in windows]

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

    # ------------------------------------------------------------------
    # Customer requests from the portal: move the visit (to a date or a window) or cancel it
    # ------------------------------------------------------------------

    def _check_customer_can_change(self):
        self.ensure_one()
        if self.state not in ("draft", "scheduled"):
            raise UserError(self.env._("Only an upcoming visit can be rescheduled or cancelled."))
        if self.customer_request:
            raise UserError(
                self.env._("A request is already waiting for the service team's answer.")
            )

    def _portal_visit_to_move(self, customer_contact=None):
        """This visit when the current user may pick other arrival windows for it, else an
        empty recordset (as ``_portal_new_visit`` of a job site or an equipment).

        :param customer_contact: ``_service_is_customer_contact()`` when the caller has it
            already (the order's page): not searched a second time.
        """
        self.ensure_one()
        if not (self.state in ("draft", "scheduled") and not self.customer_request):
            return self.browse()
        if customer_contact is None:
            customer_contact = self._service_is_customer_contact()
        return self if customer_contact else self.browse()

    def _portal_request_change(self, change, reason, windows=None, preferred_date=None):
        """Called from the portal's change form: ``change`` is "reschedule" (to the first
        free window of ``windows`` picked, else to ``preferred_date``) or "cancel"."""
        self.ensure_one()
        if change == "reschedule" and windows:
            return self._portal_request_reschedule_windows(windows, reason)
        if change == "reschedule":
            return self._portal_request_reschedule(preferred_date, reason)
        if change == "cancel":
            return self._portal_request_cancel(reason)
        raise UserError(self.env._("Choose whether to reschedule or to cancel the visit."))

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

    def _portal_request_reschedule(self, preferred_date, reason):
        """Called from the portal: the customer asks for another date."""
        self._service_check_customer_contact()
        self._check_customer_can_change()
        preferred = fields.Datetime.to_datetime(preferred_date)
        if not preferred or preferred < fields.Datetime.now() + timedelta(hours=1):
            raise FieldUserError(
                self.env._("Choose a preferred date in the future."), "preferred_date"
            )
        if preferred > fields.Datetime.now() + timedelta(days=5 * 366):
            raise FieldUserError(
                self.env._("Choose a date within the next few years."), "preferred_date"
            )
        self.write(
            {
                "customer_request": "reschedule",
                "customer_request_date": preferred,
                "customer_request_note": reason,
            }
        )
        self._post_customer_request()

    def _portal_request_cancel(self, reason):
        """Called from the portal: the customer asks to cancel the visit."""
        self._service_check_customer_contact()
        self._check_customer_can_change()
        self.write({"customer_request": "cancel", "customer_request_note": reason})
        self._post_customer_request()

    def _post_customer_request(self):
        # in the order's conversation, where the customer and the service team both read it
        if self.customer_request == "reschedule":
            body = self.env._(
                "The customer asks to move this visit to %(date)s. %(reason)s",
                date=self._service_format_window(self.customer_request_date),
                reason=self.customer_request_note or "",
            )
        else:
            body = self.env._(
                "The customer asks to cancel this visit. %(reason)s",
                reason=self.customer_request_note or "",
            )
        self.message_post(
            body=body.strip(),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Answer the customer's request"),
            user_id=(self.user_id or self.env.ref("base.user_admin")).id,
        )

    # ------------------------------------------------------------------
    # The reminder the day before a visit
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_visit_reminders(self):
        """Remind the customer's contacts of the visits of tomorrow, in their time zone."""
        now = fields.Datetime.now()
        orders = self.search(
            [
                ("state", "=", "scheduled"),
                ("reminder_sent", "=", False),
                ("date_start", ">", now),
                ("date_start", "<", now + timedelta(hours=48)),
            ]
        )
        # each reminder sent once, whichever node runs this
        orders = lock_skip_locked(orders)
        template = self.env.ref("service_portal.mail_template_visit_reminder")
        for order in orders:
            tz = pytz.timezone(order._service_tz())  # the zone the reminder tells the time in
            local_today = pytz.utc.localize(now).astimezone(tz).date()
            local_visit_day = pytz.utc.localize(order.date_start).astimezone(tz).date()
            if local_visit_day != local_today + timedelta(days=1):
                continue
            recipients = order._customer_recipients("visit_reminder")
            if recipients:
                order.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment", partner_ids=recipients.ids
                )
            order.reminder_sent = True

    # ------------------------------------------------------------------
    # On my way
    # ------------------------------------------------------------------

    @api.model
    def _default_travel_minutes(self):
        return self.env["ir.config_parameter"]._service_get_int(
            "service_portal.default_travel_minutes", 30
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
