from odoo import api, fields, models

from ..const import WEEKDAYS
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
