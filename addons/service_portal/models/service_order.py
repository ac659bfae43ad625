import uuid
from datetime import timedelta

import pytz
from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.image import IMAGE_MAX_RESOLUTION, base64_to_image
from odoo.tools.mail import html2plaintext, plaintext2html

from ..const import OPEN_STATES, SIGNATURE_MAX_CHARS
from ..exceptions import FieldUserError


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = ["service.scoped.mixin", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    # Portal contacts only read orders (record rules); they still talk with the service
    # company in the order's conversation.
    _mail_post_access = "read"

    # Set at creation: the read-only portal pages link the records around this one with
    # their token (Odoo's previous/next pager), and must not write a missing token there.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index="trigram"
    )
    kind = fields.Selection(
        [
            ("service", "Service"),
            ("install", "Install"),
            ("maintenance", "Maintenance"),
            ("inspection", "Inspection"),
        ],
        default="service",
        required=True,
        tracking=True,
        index=True,
    )
    partner_id = fields.Many2one(tracking=True)
    site_id = fields.Many2one(tracking=True)
    equipment_id = fields.Many2one(
        "service.equipment",
        index=True,
        tracking=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    date_start = fields.Datetime(string="Scheduled Start", tracking=True, index=True)
    date_end = fields.Datetime(string="Scheduled End", tracking=True)
    calendar_date_end = fields.Datetime(
        string="Calendar End",
        compute="_compute_calendar_date_end",
        inverse="_inverse_calendar_date_end",
        store=True,
        groups="base.group_user",
        help="The end the dispatchers' calendar shows: the scheduled end, or an hour after the "
        "start when there is none (the calendar hides events without an end).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Dispatcher",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    technician_ids = fields.Many2many(
        "res.users",
        "service_order_technician_rel",
        "order_id",
        "user_id",
        string="Technicians",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")
    description = fields.Html(
        string="Description for the Customer",
        help="Shown to the customer in the portal and in emails.",
    )
    internal_note = fields.Html(
        help="For staff only: never shown in the portal.", groups="base.group_user"
    )
    completion_report = fields.Html(
        help="What was done; the customer sees it and signs it off when the order is done."
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Quote", index="btree_not_null", copy=False
    )
    invoice_ids = fields.Many2many("account.move", string="Invoices", copy=False)
    document_ids = fields.One2many("service.document", "order_id", string="Documents")
    customer_request = fields.Selection(
        [("reschedule", "Reschedule"), ("cancel", "Cancel")],
        string="Customer Asks To",
        copy=False,
        tracking=True,
        readonly=True,
    )
    customer_request_date = fields.Datetime(string="Preferred New Date", copy=False, readonly=True)
    customer_request_note = fields.Text(string="Customer's Reason", copy=False, readonly=True)
    reminder_sent = fields.Boolean(
        copy=False, help="The customer was reminded of this visit.", groups="base.group_user"
    )
    signature = fields.Image(copy=False, attachment=True, max_width=1024, max_height=1024)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)

    @api.depends("state")
    def _compute_is_open(self):
        for order in self:
            order.is_open = order.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        wanted = (True in value) == (operator == "in")
        return [("state", "in" if wanted else "not in", list(OPEN_STATES))]

    @api.depends("date_start", "date_end")
    def _compute_calendar_date_end(self):
        for order in self:
            order.calendar_date_end = order.date_end or (
                order.date_start and order.date_start + timedelta(hours=1)
            )

    def _inverse_calendar_date_end(self):
        for order in self:
            order.date_end = order.calendar_date_end

    @api.depends("state", "date_end")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_late = bool(
                order.state in OPEN_STATES and order.date_end and order.date_end < now
            )

    def _search_is_late(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        late = Domain("state", "in", list(OPEN_STATES)) & Domain(
            "date_end", "<", fields.Datetime.now()
        )
        return late if (True in value) == (operator == "in") else ~late

    @api.depends("name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for order in self:
            order.display_name = f"{order.name} ({kinds.get(order.kind, '')})"

    def _compute_access_url(self):
        for order in self:
            order.access_url = f"/my/service-orders/{order.id}"

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for order in self:
            if order.date_start and order.date_end and order.date_end < order.date_start:
                raise ValidationError(
                    self.env._("%(order)s ends before it starts.", order=order.display_name)
                )

    @api.constrains("equipment_id", "partner_id")
    def _check_equipment_customer(self):
        for order in self.filtered("equipment_id"):
            if order.equipment_id.partner_id != order.partner_id:
                raise ValidationError(
                    self.env._(
                        "The equipment %(equipment)s belongs to another customer.",
                        equipment=order.equipment_id.display_name,
                    )
                )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id:
            self.partner_id = self.equipment_id.partner_id
            self.site_id = self.equipment_id.site_id

    @api.model_create_multi
    def create(self, vals_list):
        # even through a superuser call from a portal route: env.user is still the account
        self.env.user._service_portal_check_can_file()
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.order") or "New"
        return super().create(vals_list)

    def write(self, vals):
        moved = self.browse()
        if "date_start" in vals:
            vals.setdefault("reminder_sent", False)
        if "date_start" in vals and "customer_request" not in vals:
            moved = self.filtered(
                lambda order: (
                    order.state == "scheduled"
                    and order.date_start != fields.Datetime.to_datetime(vals["date_start"])
                )
            )
        result = super().write(vals)
        moved._notify_customer("service_portal.mail_template_order_rescheduled")
        return result

    def action_schedule(self):
        for order in self:
            if not order.date_start:
                raise UserError(
                    self.env._("Set when %(order)s starts before scheduling it.", order=order.name)
                )
        was_scheduled = self.filtered(lambda order: order.state == "scheduled")
        self.write({"state": "scheduled"})
        (self - was_scheduled)._notify_customer("service_portal.mail_template_order_scheduled")

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})
        self._notify_customer("service_portal.mail_template_order_completed")

    def action_cancel(self):
        self.write({"state": "cancelled", "customer_request": False})

    def action_reset_draft(self):
        self.write({"state": "draft"})

    def action_accept_customer_request(self):
        for order in self:
            if order.customer_request == "cancel":
                order.write({"state": "cancelled", "customer_request": False})
                order.message_post(
                    body=self.env._("Cancellation accepted."), subtype_xmlid="mail.mt_comment"
                )
            elif order.customer_request == "reschedule":
                duration = (
                    (order.date_end - order.date_start)
                    if order.date_start and order.date_end
                    else None
                )
                new_start = order.customer_request_date
                order.write(
                    {
                        "date_start": new_start,
                        "date_end": new_start + duration if duration else order.date_end,
                        "customer_request": False,
                        "customer_request_date": False,
                    }
                )
                order._notify_customer("service_portal.mail_template_order_rescheduled")

    def action_refuse_customer_request(self):
        for order in self.filtered("customer_request"):
            order.write({"customer_request": False, "customer_request_date": False})
            order.message_post(
                body=self.env._(
                    "The service team could not accept your request; the visit stays as planned."
                ),
                subtype_xmlid="mail.mt_comment",
                partner_ids=order._customer_recipients().ids,
            )

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"Service Report {self.name}"

    @api.model
    def _service_local_to_utc(self, local_dt):
        """A naive datetime typed in the zone the order's times are shown in (on an empty
        recordset: the user's), as the naive UTC datetime Odoo stores."""
        zone = self._service_tz() if self else None
        tz = pytz.timezone(zone or self.env.user.tz or self.env.context.get("tz") or "UTC")
        try:
            return tz.localize(local_dt).astimezone(pytz.utc).replace(tzinfo=None)
        except OverflowError:  # the last hours of year 9999 west of Greenwich
            raise UserError(self.env._("Choose a date within the next few years.")) from None

    def _service_window_text(self, show_zone=True):
        """The visit's window as the customer reads it (see ``_service_format_window``)."""
        self.ensure_one()
        return self._service_format_window(self.date_start, self.date_end, show_zone=show_zone)

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------

    def _customer_recipients(self, kind="order"):
        """Portal contacts who see this order and want to hear about it."""
        self.ensure_one()
        contacts = self.partner_id._service_portal_contacts(scope=self.scope_partner_id)
        return contacts._service_wants_notification(kind)

    def _notify_customer(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for order in self:
            recipients = order._customer_recipients()
            if recipients:
                order.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=recipients.ids,
                )

    # ------------------------------------------------------------------
    # Service requested from the portal
    # ------------------------------------------------------------------

    @api.model
    def _portal_create_requested(self, values, description, windows=None):
        """A visit a customer asks for from the portal (on equipment or at a job site): the
        description checked, the draft order for the dispatchers, the arrival windows picked
        (keys of ``_arrival_offered``) and the request in the order's conversation."""
        description = (description or "").strip()
        if not description:
            raise FieldUserError(
                self.env._("Describe the problem so that the technician comes prepared."),
                "description",
            )
        if len(description) > 5000:
            raise FieldUserError(
                self.env._("The description is too long (5,000 characters at most)."),
                "description",
            )
        order = self.sudo().create({**values, "description": plaintext2html(description)})
        order._service_check_customer_contact()
        if windows:
            order._arrival_propose(order._arrival_parse_picks(windows))
        order.message_post(
            body=self.env._(
                "Service requested from the portal: %(description)s", description=description
            ),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return order

    # ------------------------------------------------------------------
    # Status shown in the portal
    # ------------------------------------------------------------------

    def _portal_status_timeline(self):
        """[(date, state label)] of the order's status changes, oldest first, for the portal."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                    ("field_id.name", "=", "state"),
                ],
                order="id",
            )
        )
        # tracking values store the label of the state, in the language of the change:
        # back to the state, then to the customer's word for it
        states = {label: state for state, label in labels.items()}
        for lang, _name in self.env["res.lang"].get_installed():
            lang_env = self.with_context(lang=lang).env
            for state, label in self._fields["state"]._description_selection(lang_env):
                states.setdefault(label, state)
        customer_labels = self._portal_state_labels()

        def customer_label(label):
            return customer_labels.get(states.get(label), label)

        first_state = trackings[:1].old_value_char or labels[self.state]
        timeline = [(self.create_date, customer_label(first_state))]
        timeline += [
            (tracking.create_date, customer_label(tracking.new_value_char))
            for tracking in trackings
        ]
        return timeline

    @api.model
    def _portal_state_labels(self):
        """{state: label} as customers read it: the one place that maps the internal states
        (a "Draft" is a visit the service company has still to plan)."""
        return {
            "draft": self.env._("Not scheduled yet"),
            "scheduled": self.env._("Scheduled"),
            "in_progress": self.env._("In progress"),
            "done": self.env._("Completed"),
            "cancelled": self.env._("Cancelled"),
        }

    def _portal_state_label(self):
        self.ensure_one()
        return self._portal_state_labels().get(self.state, "")

    def _portal_summary(self):
        """What the job is, for lists that would otherwise show a reference: the kind, the
        equipment, and the first words of the description."""
        self.ensure_one()
        order = self.sudo()  # the order is readable: so are its equipment's name and text
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        parts = [kinds.get(order.kind, "")]
        if order.equipment_id:
            parts.append(order.equipment_id.name)
        text = html2plaintext(order.description or "").strip().splitlines()
        summary = " · ".join(filter(None, parts))
        if text and text[0].strip():
            first = text[0].strip()
            summary = f"{summary}: {first[:80]}{'…' if len(first) > 80 else ''}"
        return summary

    # ------------------------------------------------------------------
    # Sign-off
    # ------------------------------------------------------------------

    def _has_to_be_signed(self):
        self.ensure_one()
        return self.state == "done" and not self.signature

    @api.model
    def _service_check_signature(self, name, signature):
        """The one check of a signature as the signature widget posts it (a customer
        signing off from the portal, or on the technician's device): the signer's name and
        the drawing, base64 PNG or JPEG. Returns the name to store; raises a UserError that
        says what is wrong, before anything is written.
        """
        unreadable = self.env._("The signature could not be read: draw it again.")
        if any(value is not None and not isinstance(value, str) for value in (name, signature)):
            raise UserError(unreadable)
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Type your name to sign."))
        if not signature:
            raise UserError(self.env._("The signature is missing."))
        if len(signature) > SIGNATURE_MAX_CHARS:
            raise UserError(self.env._("The signature is too large: draw it again."))
        try:
            image = base64_to_image(signature)
            width, height = image.size
            image.verify()
        except (UserError, ValueError, SyntaxError, OSError, Image.DecompressionBombError):
            raise UserError(unreadable) from None
        if image.format not in ("PNG", "JPEG") or width * height > IMAGE_MAX_RESOLUTION:
            raise UserError(unreadable)
        return name[:128]

    def _portal_sign_off(self, name, signature):
        """The customer signs the completion report from the portal."""
        self.ensure_one()
        self._service_check_customer_contact()
        if not self._has_to_be_signed():
            raise UserError(self.env._("This order is not waiting for a signature."))
        name = self._service_check_signature(name, signature)
        self.write({"signed_by": name, "signed_on": fields.Datetime.now(), "signature": signature})
        self.env.cr.flush()
        report, _report_type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf("service_portal.action_report_service_order", self.ids)
        )
        self.message_post(
            body=self.env._("Completion report signed by %(name)s", name=name),
            attachments=[(f"{self._get_report_base_filename()}.pdf", report)],
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
