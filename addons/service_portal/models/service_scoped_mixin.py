import uuid
from datetime import datetime

import pytz
from babel.dates import format_skeleton, format_time

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import babel_locale_parse, get_lang


class ServiceScopedMixin(models.AbstractModel):
    """A record that belongs to a customer and, optionally, one of its job sites.

    Every portal-visible record type of the product inherits it, so that one record rule
    (``scope_partner_id child_of`` the user's portal scope) decides who sees what.
    """

    _name = "service.scoped.mixin"
    _description = "Customer and job site of a record"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain=[("service_is_job_site", "=", False)],
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Job Site",
        index=True,
        domain="[('service_is_job_site', '=', True), ('id', 'child_of', partner_id)]",
    )
    scope_partner_id = fields.Many2one(
        "res.partner",
        string="Visible To",
        compute="_compute_scope_partner_id",
        store=True,
        index=True,
        help="The job site, or the customer when there is no site: portal contacts of this "
        "partner and of its parents see the record.",
    )

    @api.depends("partner_id", "site_id")
    def _compute_scope_partner_id(self):
        for record in self:
            record.scope_partner_id = record.site_id or record.partner_id

    @api.onchange("site_id")
    def _onchange_site_id_set_customer(self):
        if self.site_id:
            self.partner_id = self.site_id.service_customer_id

    @api.constrains("partner_id", "site_id")
    def _check_site_belongs_to_customer(self):
        for record in self.filtered("site_id"):
            site = record.site_id
            if not site.service_is_job_site:
                raise ValidationError(
                    self.env._("%(partner)s is not a job site.", partner=site.display_name)
                )
            if site.service_customer_id != record.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The job site %(site)s does not belong to the customer %(customer)s.",
                        site=site.display_name,
                        customer=record.partner_id.display_name,
                    )
                )

    @api.model
    def _service_portal_scope_domain(self, user=None):
        """The records a portal user may see; the record rules use the same expression."""
        scope = (user or self.env.user).partner_id.service_scope_partner_id
        return [("scope_partner_id", "child_of", scope.id)]

    def _service_rotate_access_tokens(self):
        """Replace the access tokens of these records (portal.mixin ones): links given out
        before stop working. Every record gets a new token at once, so that read-only pages
        never have to write one."""
        for record in self.sudo().filtered(lambda rec: "access_token" in rec._fields):
            record.access_token = str(uuid.uuid4())

    def _service_is_customer_contact(self):
        """Whether the current user may act for the customer on every record of ``self``."""
        try:
            self._service_check_customer_contact()
        except AccessError:
            return False
        return True

    def _service_check_customer_contact(self):
        """Raise unless the current user is a portal contact of the customer within whose
        portal scope every record of ``self`` lies.

        Customer actions (reschedule, cancel, sign off, request service, approve an estimate)
        call it before anything else, on sudoed records too: reading a record is not enough to
        act for the customer. A technician reads the orders assigned to them, a follower or an
        access token reads one record, but only the customer's contacts decide for it.
        """
        user = self.env.user
        allowed = False
        if user.share and not user._is_public() and self:
            scope = Domain(self._service_portal_scope_domain(user))
            allowed = self.sudo().search_count(Domain("id", "in", self.ids) & scope) == len(self)
        if not allowed:
            raise AccessError(
                self.env._("Only a contact of the customer can do this from the portal.")
            )

    # ------------------------------------------------------------------
    # Dates and times as the customer reads them
    # ------------------------------------------------------------------

    def _service_tz(self, partner=None):
        """The time zone a record's times are told in, on the portal as in the emails: the
        given partner's, else the job site's, else the customer's, else the service
        company's, else UTC. Never the viewer's browser or account: an email goes to several
        contacts at once and must say what the page says."""
        # a zone is no secret: read as superuser, the company's partner included
        partner = partner and partner.sudo()
        records = self[:1].sudo()

        def candidates():
            # each read only when those before have no zone (the first one does on most
            # pages): no query for the customer or the company a page does not need
            if partner:
                yield partner
                yield partner.commercial_partner_id
            for record in records:
                yield record.site_id
                yield record.partner_id
                yield record.partner_id.commercial_partner_id
            yield self.env.company.sudo().partner_id

        for candidate in candidates():
            if candidate and candidate.tz and candidate.tz in pytz.all_timezones_set:
                return candidate.tz
        return "UTC"

    @api.model
    def _service_format_window(self, start, end=None, partner=None, show_zone=True):
        """One text for a visit's time everywhere (portal pages, emails, reports), in the
        zone of ``_service_tz``: "Wed, Dec 2 · 10:00 AM-12:00 PM (Europe/Brussels)" in
        English (US), with an en dash between the times: the date once when the window
        ends the same day, no seconds, the year only when it is not this year's.
        ``start``/``end`` are Odoo's naive UTC datetimes."""
        if not start:
            return ""
        return self._service_window_formatter(partner=partner, show_zone=show_zone)(start, end)

    @api.model
    def _service_window_formatter(self, partner=None, show_zone=True):
        """The function ``(start, end) -> text`` of ``_service_format_window``, for many
        windows of one record: the zone and the language are looked up once, and each day
        and time of day is formatted once (a list of arrival windows repeats them)."""
        tz = pytz.timezone(self._service_tz(partner))
        locale = babel_locale_parse(get_lang(self.env).code)
        this_year = datetime.now(tz).year
        days, times = {}, {}

        def local(value):
            return pytz.utc.localize(fields.Datetime.to_datetime(value)).astimezone(tz)

        def day(value):
            key = value.date()
            if key not in days:
                skeleton = "MMMEd" if value.year == this_year else "yMMMEd"
                days[key] = format_skeleton(skeleton, value, locale=locale)
            return days[key]

        def time(value):
            key = (value.time(), value.utcoffset())
            if key not in times:
                times[key] = format_time(value, format="short", tzinfo=tz, locale=locale)
            return times[key]

        def format_window(start, end=None):
            if not start:
                return ""
            start_local = local(start)
            text = f"{day(start_local)} · {time(start_local)}"
            end_local = local(end) if end and end > start else None
            if end_local and end_local.date() == start_local.date():
                text += f"\N{EN DASH}{time(end_local)}"
            elif end_local:
                text += f" \N{EN DASH} {day(end_local)} · {time(end_local)}"
            if show_zone:
                text += f" ({tz.zone})"
            return text

        return format_window
