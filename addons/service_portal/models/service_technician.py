from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import fields, models

from ..const import BUSY_STATES
from ..utils import hours_to_time


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
        by_user = {technician.user_id: technician for technician in self}
        domain = [
            ("technician_ids", "in", self.user_id.ids),
            ("state", "in", BUSY_STATES),
            ("date_start", "<", end),
            ("calendar_date_end", ">", start),
        ]
        if exclude_order:
            domain.append(("id", "!=", exclude_order.id))
        # one query: the visits' times grouped by technician (both arrays in the orders' order)
        for user, starts, ends in (
            self.env["service.order"]
            .sudo()
            ._read_group(
                domain,
                ["technician_ids"],
                ["date_start:array_agg", "calendar_date_end:array_agg"],
            )
        ):
            if user in by_user:
                busy[by_user[user]].extend(zip(starts, ends, strict=True))
        booked = (
            self.env["service.order.window"]
            .sudo()
            .search_fetch(
                [
                    ("state", "=", "confirmed"),
                    ("technician_id", "in", self.user_id.ids),
                    ("window_start", "<", end),
                    ("window_end", ">", start),
                    ("order_id", "!=", exclude_order.id if exclude_order else False),
                ],
                ["technician_id", "window_start", "window_end"],
            )
        )
        for window in booked:
            busy[by_user[window.technician_id]].append((window.window_start, window.window_end))
        return busy

    def _work_intervals(self, start, end):
        """{technician: [(start, end)]}: when each works (attendance minus leaves), naive UTC."""
        start_utc, end_utc = pytz.utc.localize(start), pytz.utc.localize(end)
        # one computation per working calendar for all its technicians, not one per technician
        intervals = {}
        for calendar, technicians in self.grouped("resource_calendar_id").items():
            if calendar:
                intervals.update(
                    calendar._work_intervals_batch(
                        start_utc, end_utc, resources=technicians.resource_id
                    )
                )
        result = {}
        for technician in self:
            if not technician.resource_calendar_id:  # no working hours: never offered
                result[technician] = []
                continue
            merged = []
            for local_begin, local_stop, _records in intervals[technician.resource_id.id]:
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
