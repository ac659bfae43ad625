import re
from urllib.parse import quote_plus

from odoo import api, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import AccessError, UserError

# What a technician may do to an order from the workspace, from which states.
TECHNICIAN_TRANSITIONS = {"in_progress": ("scheduled",), "done": ("scheduled", "in_progress")}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_COUNT = 5
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
# What a technician does not read of the orders assigned to them: the customer's commercial
# links, the customer's own requests, and the token that would open the order without a login.
TECHNICIAN_HIDDEN_FIELDS = frozenset(
    {
        "sale_order_id",
        "invoice_ids",
        "customer_request",
        "customer_request_date",
        "customer_request_note",
        "access_token",
    }
)


class ServiceOrder(models.Model):
    _inherit = "service.order"

    def _has_field_access(self, field, operation):
        if not super()._has_field_access(field, operation):
            return False
        return (
            self.env.su
            or field.name not in TECHNICIAN_HIDDEN_FIELDS
            or not self.env.user._service_is_technician_only()
        )

    def get_portal_url(
        self, suffix=None, report_type=None, download=None, query_string=None, anchor=None
    ):
        url = super().get_portal_url(
            suffix=suffix,
            report_type=report_type,
            download=download,
            query_string=query_string,
            anchor=anchor,
        )
        if self.env.user._service_is_technician_only():
            # Logged in, a technician reads assigned orders through the record rules: links
            # without the token, which would keep opening the order after the licence ends.
            url = re.sub(r"access_token=[^&#]*&?", "", url).replace("?#", "#")
            url = url[:-1] if url.endswith("?") else url
        return url

    def write(self, vals):
        if "technician_ids" not in vals:
            return super().write(vals)
        assigned = {order: order.technician_ids for order in self}
        result = super().write(vals)
        unassigned = self.browse(
            order.id for order, before in assigned.items() if before - order.technician_ids
        )
        # a technician taken off an order may have kept a link to it
        unassigned._service_rotate_access_tokens()
        return result

    @api.model
    def _technician_has_licence(self, user=None):
        """Whether ``user`` holds a licence that lets them work now."""
        user = user or self.env.user
        return bool(
            self.env["service.license"]
            .sudo()
            .search_count([("user_id", "=", user.id), ("grants_access", "=", True)], limit=1)
        )

    def _technician_check(self):
        """Raise unless the current user is a licensed technician assigned to these orders."""
        if not self._technician_has_licence():
            raise AccessError(
                self.env._("You need an active technician licence to work on orders.")
            )
        for order in self.sudo():
            if self.env.user not in order.technician_ids:
                raise AccessError(self.env._("%(order)s is not assigned to you.", order=order.name))

    def _technician_set_state(self, state):
        self._technician_check()
        if state not in TECHNICIAN_TRANSITIONS:
            raise UserError(self.env._("A technician can only start an order or mark it done."))
        for order in self.sudo():
            if order.state not in TECHNICIAN_TRANSITIONS[state]:
                raise UserError(
                    self.env._(
                        "%(order)s is %(state)s: it cannot be changed from the workspace.",
                        order=order.name,
                        state=dict(order._fields["state"]._description_selection(self.env))[
                            order.state
                        ].lower(),
                    )
                )
            if state == "in_progress":
                order.action_start()
            else:
                order.action_done()

    def _technician_on_my_way(self, travel_minutes):
        """The technician leaves for the visit: the customer's contacts are told."""
        self.ensure_one()
        self._technician_check()
        return self.sudo()._service_on_my_way(travel_minutes)

    def _arrival_technician_can_work(self, user):
        # a portal technician is offered to customers only while their licence lets them work
        if not super()._arrival_technician_can_work(user):
            return False
        return not user.share or self._technician_has_licence(user)

    def _technician_place(self):
        self.ensure_one()
        return (self.site_id or self.partner_id).sudo()

    def _technician_map_url(self):
        """A plain maps link to the site (no API key): phones open it in their maps app."""
        place = self._technician_place()
        address = ", ".join(
            part
            for part in (
                place.street,
                place.street2,
                " ".join(filter(None, (place.zip, place.city))),
                place.state_id.name,
                place.country_id.name,
            )
            if part
        )
        if not address:
            return False
        return f"https://www.google.com/maps/search/?api=1&query={quote_plus(address)}"

    def _technician_site_phones(self):
        """[(name, display phone, tel: link)] of the site and its on-site contacts."""
        place = self._technician_place()
        people = place | place.child_ids.filtered(lambda partner: not partner.is_job_site)
        phones = []
        for partner in people.filtered("phone")[:4]:
            digits = re.sub(r"[^\d+]", "", partner.phone)
            if digits:
                phones.append((partner.name, partner.phone, f"tel:{digits}"))
        return phones

    def _technician_add_note(self, note, photos, client_key=None):
        """Post the technician's note and photos (list of (filename, mimetype, bytes)).

        :param client_key: the key the phone gave the note (a UUID), if any: a note sent
            again with its key is not stored again (service.work.note.key)
        :return: True when the note is stored, False when it was stored before (same key)
        """
        self.ensure_one()
        self._technician_check()
        note = (note or "").strip()
        if not note and not photos:
            raise FieldUserError(self.env._("Write a note or add a photo."), "note")
        if len(note) > 5000:
            raise FieldUserError(
                self.env._("The note is too long (5,000 characters at most)."), "note"
            )
        if len(photos) > PHOTO_MAX_COUNT:
            raise FieldUserError(
                self.env._("Add %(count)s photos at most at a time.", count=PHOTO_MAX_COUNT),
                "photos",
            )
        for filename, mimetype, content in photos:
            if mimetype not in PHOTO_MIMETYPES:
                raise FieldUserError(
                    self.env._("%(file)s is not a photo (JPEG, PNG, WebP or HEIC).", file=filename),
                    "photos",
                )
            if len(content) > PHOTO_MAX_BYTES:
                raise FieldUserError(
                    self.env._("%(file)s is larger than 10 MB.", file=filename), "photos"
                )
        if not self.env["service.work.note.key"].sudo()._claim(self, client_key):
            return False
        order = self.sudo()
        message = order.message_post(
            body=note or self.env._("Photos from the site"),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[(filename, content) for filename, _mimetype, content in photos],
        )
        # the workspace shows the photos by token: its pages only read (readonly routes)
        message.attachment_ids.generate_access_token()
        return True

    def _technician_work_log(self):
        """The notes and photos the order's technicians posted from the workspace, newest
        first, as superuser, for the workspace page: the team sees what was saved on the
        job, never the staff's own internal notes (authored by staff, not by a technician).

        :return: list of (message, [(attachment, access token)])
        """
        self.ensure_one()
        self._technician_check()
        log = []
        for message in self._technician_work_messages().sorted("id", reverse=True):
            photos = message.attachment_ids.filtered(
                lambda attachment: (
                    attachment.mimetype in PHOTO_MIMETYPES and attachment.access_token
                )
            )
            log.append((message, [(photo, photo.access_token) for photo in photos]))
        return log

    def _technician_work_messages(self):
        """The work log's messages (the technicians' notes and photos), unchecked: for the
        work log above and the summary the customer receives (``_technician_done_summary``)."""
        self.ensure_one()
        order = self.sudo()
        return order.message_ids.filtered(
            lambda message: (
                message.message_type == "comment"
                and message.subtype_id == self.env.ref("mail.mt_note")
                and message.author_id in order.technician_ids.partner_id
            )
        )

    @api.model
    def _technician_orders(self, upcoming=True):
        """The current technician's assigned orders: open ones, or recently done ones."""
        domain = [("technician_ids", "in", self.env.user.id)]
        if upcoming:
            domain.append(("state", "in", ["scheduled", "in_progress"]))
            order = "date_start, id"
        else:
            domain.append(("state", "=", "done"))
            order = "date_start desc, id desc"
        return self.search(domain, order=order, limit=50)
