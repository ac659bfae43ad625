import re

from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.addons.service_portal.utils import sniff_mimetype
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.mail import html2plaintext

from ..const import (
    COMPLETED_TEMPLATE,
    DOCUMENTS_LIMIT,
    HISTORY_LIMIT,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_COUNT,
    PHOTO_MIMETYPES,
    SUMMARY_TEMPLATE,
    TECHNICIAN_HIDDEN_FIELDS,
    TECHNICIAN_SIGN_STATES,
    TECHNICIAN_TRANSITIONS,
)


class ServiceOrder(models.Model):
    _inherit = "service.order"

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
                # done from the workspace: the customer's "completed" email is the visit's
                # summary (see _notify_customer)
                order.with_context(service_technician_done=True).action_done()

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

    def _technician_add_note(self, note, photos, client_key=None):
        """Post the technician's note and photos (list of (filename, bytes)).

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
        for filename, content in photos:
            if len(content) > PHOTO_MAX_BYTES:
                raise FieldUserError(
                    self.env._("%(file)s is larger than 10 MB.", file=filename), "photos"
                )
            if sniff_mimetype(content) not in PHOTO_MIMETYPES:
                raise FieldUserError(
                    self.env._("%(file)s is not a photo (JPEG, PNG, WebP or HEIC).", file=filename),
                    "photos",
                )
        if not self.env["service.work.note.key"].sudo()._claim(self, client_key):
            return False
        order = self.sudo()
        message = order.message_post(
            body=note or self.env._("Photos from the site"),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=list(photos),
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

    # ------------------------------------------------------------------
    # The customer's signature on the technician's device
    # ------------------------------------------------------------------

    def _technician_default_signer(self):
        """The name the signature form starts with: the first person attached to the job
        site, else to the customer (never a technician's own login)."""
        self.ensure_one()
        order = self.sudo()
        for place in (order.site_id, order.partner_id):
            people = place.child_ids.filtered(
                lambda partner: (
                    partner.type == "contact"
                    and not partner.is_company
                    and not partner.service_is_job_site
                    and not any(user._service_is_technician_only() for user in partner.user_ids)
                )
            )
            if people:
                return people.sorted("id")[0].name
        return ""

    def _technician_sign(self, name, signature):
        """The customer signs on the technician's device: the drawing checked (the same
        check as the customer's own sign-off), stored with the signer's name, and the signed
        report posted as an internal note."""
        self.ensure_one()
        self._technician_check()
        order = self.sudo()
        # two phones sending at once: the second waits, then Odoo serves it again (the row
        # changed under REPEATABLE READ) and it finds the order signed
        self.env.cr.execute(
            SQL("SELECT id FROM service_order WHERE id = %s FOR NO KEY UPDATE", order.id)
        )
        if order.signature:
            raise UserError(
                self.env._(
                    "%(order)s is already signed by %(name)s.",
                    order=order.name,
                    name=order.signed_by,
                )
            )
        if order.state == "cancelled":
            raise UserError(
                self.env._("%(order)s is cancelled: there is nothing to sign.", order=order.name)
            )
        if order.state not in TECHNICIAN_SIGN_STATES:
            raise UserError(
                self.env._(
                    "The customer signs once the work has started: start %(order)s first.",
                    order=order.name,
                )
            )
        name = order._service_check_signature(name, signature)
        order.write({"signed_by": name, "signed_on": fields.Datetime.now(), "signature": signature})
        order.env.cr.flush()  # the report reads the signature from the database
        report, _report_type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("service_portal.action_report_service_order", order.ids)
        )
        # a note for the service team (not the work log, which lists comments): the
        # customer sees the signature on their order page and in the summary email
        order.message_post(
            body=self.env._(
                "Signed on site by %(name)s (collected by technician %(technician)s)",
                name=name,
                technician=self.env.user.name,
            ),
            attachments=[(f"{order._get_report_base_filename()}.pdf", report)],
            author_id=self.env.user.partner_id.id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------
    # The summary the customer receives when the technician marks the work done
    # ------------------------------------------------------------------

    def _notify_customer(self, template_xmlid):
        if template_xmlid == COMPLETED_TEMPLATE and self.env.context.get("service_technician_done"):
            for order in self:
                order._technician_send_done_summary()
            return None
        return super()._notify_customer(template_xmlid)

    def _technician_send_done_summary(self):
        """One email to the contacts who see this order and want order emails (as the
        other status emails), with the visit's summary and the report."""
        self.ensure_one()
        order = self.sudo()
        recipients = order._customer_recipients("order")
        if not recipients:
            return self.env["mail.message"]
        # followers who are portal contacts hear of it only if they want order emails
        return order.with_context(service_notify_kind="order").message_post_with_source(
            SUMMARY_TEMPLATE,
            subtype_xmlid="mail.mt_comment",
            partner_ids=recipients.ids,
        )

    def _technician_time_on_site(self):
        """(start, end) of the work: when the order went in progress and when it was done
        (now while it is being marked done), from its status history; start is False when
        the work was marked done without being started."""
        self.ensure_one()
        labels = self._portal_state_labels()
        started = ended = False
        for date, label in self._portal_status_timeline():
            if label == labels["in_progress"]:
                started = date
            elif label == labels["done"]:
                ended = date
        if self.state == "done" and not ended:
            ended = fields.Datetime.now()
        return started, ended

    def _technician_done_summary(self):
        """What the customer is told when the work is done, in the language of the current
        environment (the recipient's when the email is rendered):

        - ``lines``: [(label, value)] shown in order (window, time on site, technicians,
          signature); other features append theirs (checklist, parts and time...)
        - ``sections``: [{"key", "title", "items": [text]}], the work notes first; other
          features append theirs
        - ``signed``: whether the customer signed
        - ``report_url``: the report, for the customer (with the order's access token)
        - ``portal_url``: the order's page, for the customer (with the token)
        """
        self.ensure_one()
        order = self.sudo()
        lines = []
        if order.date_start:
            lines.append((self.env._("Visit window"), order._service_window_text()))
        started, ended = order._technician_time_on_site()
        if started and ended and ended >= started:
            minutes = int((ended - started).total_seconds() // 60)
            lines.append(
                (
                    self.env._("On site"),
                    self.env._(
                        "%(window)s (%(hours)s h %(minutes)02d min)",
                        window=order._service_format_window(started, ended),
                        hours=minutes // 60,
                        minutes=minutes % 60,
                    ),
                )
            )
        elif ended:
            lines.append((self.env._("Completed"), order._service_format_window(ended)))
        if order.technician_ids:
            lines.append((self.env._("Technician"), ", ".join(order.technician_ids.mapped("name"))))
        if order.signature:
            signature_text = self.env._(
                "Signed by %(name)s, %(date)s",
                name=order.signed_by,
                date=order._service_format_window(order.signed_on),
            )
        else:
            signature_text = self.env._("Not signed yet: you can sign the report from your portal.")
        lines.append((self.env._("Signature"), signature_text))
        notes = []
        for message in order._technician_work_messages().sorted("id"):
            text = " ".join(html2plaintext(message.body or "").split())
            photos = len(message.attachment_ids)
            if photos == 1:
                text = self.env._("%(text)s (1 photo)", text=text)
            elif photos:
                text = self.env._("%(text)s (%(count)s photos)", text=text, count=photos)
            notes.append(
                self.env._(
                    "%(date)s, %(author)s: %(text)s",
                    date=order._service_format_window(message.date, show_zone=False),
                    author=message.author_id.name,
                    text=text,
                )
            )
        # read-only pages show the summary too: the token set at creation, never written here
        base = f"{order.get_base_url()}{order.access_url}?access_token={order.access_token or ''}"
        sections = [{"key": "notes", "title": self.env._("Work notes"), "items": notes}]
        sections += [
            section
            for section in (
                order.checklist_line_ids._technician_summary_section(),
                order.usage_line_ids._technician_summary_section(),
            )
            if section
        ]
        return {
            "lines": lines,
            "sections": sections,
            "signed": bool(order.signature),
            "report_url": f"{base}&report_type=pdf&download=true",
            "portal_url": base,
        }

    # ------------------------------------------------------------------
    # Checklist
    # ------------------------------------------------------------------

    def _technician_checklist(self):
        """What the workspace lists: the order's lines, or (while it has none yet) the steps
        of its kind that it gets on the first tick."""
        self.ensure_one()
        self._technician_check()
        order = self.sudo()
        return order.checklist_line_ids or order._checklist_template_items()

    def _technician_check_open(self):
        for order in self.sudo():
            if order.state not in ("scheduled", "in_progress"):
                raise UserError(
                    self.env._(
                        "%(order)s is not open any more: its checklist, parts and time cannot "
                        "change from the workspace.",
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------------
    # The equipment's past
    # ------------------------------------------------------------------

    def _technician_history(self):
        """The equipment's other orders (or, without equipment, the site's), newest first,
        as superuser: only after the assignment check, and only within that equipment's or
        site's own scope, as its customer sees them."""
        self.ensure_one()
        self._technician_check()
        order = self.sudo()
        if order.equipment_id:
            orders = order.equipment_id._portal_visible_orders()
        else:
            orders = order.search(Domain("scope_partner_id", "=", order.scope_partner_id.id))
        orders = (orders - order).filtered(lambda other: other.state != "cancelled")
        return orders.sorted(lambda other: other.date_start or other.create_date, reverse=True)[
            :HISTORY_LIMIT
        ]

    def _technician_documents(self):
        """The published documents of the order, its equipment and its job site (those
        attached to the site itself, not to another equipment or order of it), as superuser,
        after the assignment check; none while the operator hides documents from the portal."""
        self.ensure_one()
        self._technician_check()
        if not self.env["service.portal.settings"].get_shown_sections().get("documents"):
            return self.env["service.document"]
        order = self.sudo()
        domain = Domain("order_id", "=", order.id)
        if order.equipment_id:
            domain |= Domain("equipment_id", "=", order.equipment_id.id)
        domain |= Domain(
            [
                ("partner_id", "=", order.partner_id.id),
                ("site_id", "=", order.site_id.id),
                ("equipment_id", "=", False),
                ("order_id", "=", False),
            ]
        )
        return (
            self.env["service.document"]
            .sudo()
            .search(Domain("published", "=", True) & domain, limit=DOCUMENTS_LIMIT)
        )
