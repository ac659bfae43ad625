import uuid
from datetime import UTC, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..const import TICKET_STATES


class ServiceTicket(models.Model):
    _name = "service.ticket"
    _description = "Support Request"
    _inherit = [
        "service.scoped.mixin",
        "portal.mixin",
        "rating.mixin",
        "service.ticket.portal.mixin",
        "service.ticket.visit.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "priority desc, id desc"
    # Portal contacts only read requests (record rules); they may still post on them.
    _mail_post_access = "read"

    # Set at creation: the read-only portal pages link the records around this one with
    # their token (Odoo's previous/next pager), and must not write a missing token there.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="New")
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html(sanitize_style=True)
    partner_id = fields.Many2one(tracking=True)
    site_id = fields.Many2one(tracking=True)
    equipment_id = fields.Many2one(
        "service.equipment",
        tracking=True,
        index="btree_not_null",
        domain="[('partner_id', '=', partner_id)]",
    )
    requester_id = fields.Many2one(
        "res.partner",
        string="Requested By",
        index=True,
        tracking=True,
        help="The contact who filed the request; replies are emailed to the followers.",
    )
    type_id = fields.Many2one(
        "service.ticket.type", string="Nature of Request", index=True, tracking=True
    )
    answer_ids = fields.One2many("service.ticket.answer", "ticket_id", string="Answers")
    state = fields.Selection(
        TICKET_STATES,
        string="Status",
        default="open",
        required=True,
        tracking=True,
        index=True,
        help="What the customer sees; it follows the stage (each stage says which status it means).",
    )
    stage_id = fields.Many2one(
        "service.ticket.stage",
        index=True,
        tracking=True,
        ondelete="restrict",
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["service.ticket.stage"]._first_for_state("open"),
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")],
        default="0",
        required=True,
        tracking=True,
        index=True,
    )
    team_id = fields.Many2one(
        "service.ticket.team", index=True, tracking=True, groups="base.group_user"
    )
    user_id = fields.Many2one(
        "res.users",
        groups="base.group_user",
        string="Assigned To",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    solution = fields.Html(
        help="How the request was resolved; shown to the customer and copied to the "
        "knowledge base.",
    )
    close_date = fields.Datetime(readonly=True, copy=False)
    response_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the first answer of the support team is due (the nature's response target).",
    )
    first_response_date = fields.Datetime(
        readonly=True, copy=False, help="When the support team first answered the customer."
    )
    response_overdue = fields.Boolean(
        groups="base.group_user",
        compute="_compute_response_overdue",
        search="_search_response_overdue",
    )
    completion_rating_id = fields.Many2one(
        "rating.rating",
        string="Customer Rating",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="How the customer rated the handling of the request since it was last completed; "
        "cleared when the request is reopened.",
    )
    completion_rating = fields.Float(
        related="completion_rating_id.rating", string="Customer Rating (/5)", digits=(1, 0)
    )
    completion_rating_text = fields.Selection(related="completion_rating_id.rating_text")
    completion_rating_feedback = fields.Text(
        related="completion_rating_id.feedback", string="Customer Feedback"
    )
    kb_article_ids = fields.One2many(
        "service.kb.article", "ticket_id", string="Articles", groups="base.group_user"
    )
    estimate_ids = fields.One2many("sale.order", "service_ticket_id", string="Estimates")
    estimate_count = fields.Integer(compute="_compute_estimate_count")
    kb_article_count = fields.Integer(compute="_compute_kb_article_count", groups="base.group_user")

    @api.depends("subject")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.name} {ticket.subject or ''}".strip()

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/requests/{ticket.id}"
        return result

    @api.depends("estimate_ids")
    def _compute_estimate_count(self):
        counts = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("service_ticket_id", "in", self.ids)], ["service_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.estimate_count = counts.get(ticket, 0)

    def _compute_kb_article_count(self):
        counts = dict(
            self.env["service.kb.article"]
            .with_context(active_test=False)
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.kb_article_count = counts.get(ticket, 0)

    @api.depends("response_deadline", "first_response_date")
    def _compute_response_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.response_overdue = bool(
                ticket.state == "open"
                and not ticket.first_response_date
                and ticket.response_deadline
                and ticket.response_deadline < now
            )

    def _search_response_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        overdue = Domain(
            [
                ("state", "=", "open"),
                ("first_response_date", "=", False),
                ("response_deadline", "<", fields.Datetime.now()),
            ]
        )
        return overdue if (operator == "=") == value else ~overdue

    @api.model
    def _read_group_stage_ids(self, stages, _domain):
        # every stage, even empty ones, so that requests can be dragged into any of them
        return stages.search([("state", "in", [state for state, _label in TICKET_STATES])])

    @api.constrains("requester_id", "partner_id")
    def _check_requester_belongs_to_customer(self):
        for ticket in self.filtered("requester_id"):
            customer = ticket.requester_id.service_customer_id
            if customer and customer != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of the customer %(customer)s.",
                        contact=ticket.requester_id.display_name,
                        customer=ticket.partner_id.display_name,
                    )
                )

    @api.constrains("equipment_id", "partner_id", "site_id")
    def _check_equipment_customer(self):
        for ticket in self.filtered("equipment_id"):
            if ticket.equipment_id.partner_id != ticket.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "The equipment %(equipment)s belongs to another customer.",
                        equipment=ticket.equipment_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # even through a superuser call from a portal route: env.user is still the account
        self.env.user._service_portal_check_can_file()
        types = self.env["service.ticket.type"].browse(
            [vals["type_id"] for vals in vals_list if vals.get("type_id")]
        )
        team_by_type = {ticket_type.id: ticket_type.team_id.id for ticket_type in types}
        Stage = self.env["service.ticket.stage"]
        for vals in vals_list:
            if vals.get("stage_id"):
                vals["state"] = Stage.browse(vals["stage_id"]).state
            elif vals.get("state"):
                vals["stage_id"] = Stage._first_for_state(vals["state"]).id
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.ticket") or "New"
            if vals.get("type_id") and not vals.get("team_id"):
                vals["team_id"] = team_by_type.get(vals["type_id"]) or False
            if vals.get("state") in ("completed", "cancelled"):
                vals.setdefault("close_date", fields.Datetime.now())
        tickets = super().create(vals_list)
        for ticket in tickets.filtered(lambda ticket: ticket.type_id.response_hours):
            ticket.response_deadline = ticket._response_deadline_from(ticket.create_date)
        tickets._subscribe_team()
        for ticket in tickets.filtered("requester_id"):
            ticket.message_subscribe(partner_ids=ticket.requester_id.ids)
        return tickets

    def write(self, vals):
        stage_before = (
            {ticket: ticket.stage_id for ticket in self}
            if ({"stage_id", "state"} & vals.keys())
            else {}
        )
        moved = self.browse()
        if vals.get("stage_id") and "state" not in vals:
            vals = {
                **vals,
                "state": self.env["service.ticket.stage"].browse(vals["stage_id"]).state,
            }
        elif "state" in vals and "stage_id" not in vals:
            # a status change (complete, reopen, cancel) moves the tickets whose stage
            # means another status to the first stage of the new one
            moved = self.filtered(lambda ticket: ticket.stage_id.state != vals["state"])
        if "state" in vals:
            vals = dict(vals)
            vals["close_date"] = (
                fields.Datetime.now() if vals["state"] in ("completed", "cancelled") else False
            )
            if vals["state"] == "open":
                vals["completion_rating_id"] = False
        result = super().write(vals)
        if moved:
            stage = self.env["service.ticket.stage"]._first_for_state(vals["state"])
            super(ServiceTicket, moved).write({"stage_id": stage.id})
        if vals.get("requester_id"):
            self.message_subscribe(partner_ids=[vals["requester_id"]])
        if vals.get("team_id"):
            self._subscribe_team()
        if "priority" in vals:
            for ticket in self.filtered(
                lambda ticket: ticket.type_id.response_hours and not ticket.first_response_date
            ):
                ticket.response_deadline = ticket._response_deadline_from(ticket.create_date)
        if stage_before:
            self.filtered(
                lambda ticket: (
                    ticket.stage_id != stage_before[ticket] and ticket.stage_id.rating_template_id
                )
            )._send_rating_request()
        return result

    def action_complete(self):
        self.write({"state": "completed"})

    def action_reopen(self):
        self.write({"state": "open"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_new_estimate(self):
        """Open a new quotation for the customer, delivered at the site, linked to the request."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Estimate"),
            "res_model": "sale.order",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_partner_shipping_id": (self.site_id or self.partner_id).id,
                "default_service_ticket_id": self.id,
                "default_origin": self.name,
            },
        }

    def action_view_estimates(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Estimates"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("service_ticket_id", "=", self.id)],
            "context": {"default_service_ticket_id": self.id},
        }

    def action_copy_to_kb(self):
        """Create a draft knowledge-base article from a resolved request and open it."""
        self.ensure_one()
        article = self.env["service.kb.article"]._create_from_ticket(self)
        self.message_post(
            body=self.env._(
                "Copied to the knowledge base as a draft: %(title)s", title=article.name
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.kb.article",
            "res_id": article.id,
            "view_mode": "form",
        }

    def action_view_kb_articles(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Articles"),
            "res_model": "service.kb.article",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id, "active_test": False},
        }

    def action_open_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_helpdesk.service_ticket_rating_action"
        )
        action["domain"] = [
            ("res_model", "=", self._name),
            ("res_id", "=", self.id),
            ("consumed", "=", True),
        ]
        return action

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    def _track_subtype(self, init_values):
        """A change of status (open, completed, cancelled) is told to the customer's
        followers; moves between stages of the same status stay internal."""
        self.ensure_one()
        if "state" in init_values:
            return self.env.ref("service_helpdesk.mt_ticket_status")
        return super()._track_subtype(init_values)

    def _message_post_after_hook(self, message, msg_vals):
        """The first public answer of an employee is the response the target measures."""
        result = super()._message_post_after_hook(message, msg_vals)
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.sudo().author_id.user_ids.filtered(lambda user: not user.share)
        ):
            self.filtered(lambda ticket: not ticket.first_response_date).sudo().write(
                {"first_response_date": message.date or fields.Datetime.now()}
            )
        return result

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        return self.env["res.partner"]._service_filter_recipients(recipients, "request")

    def _notify_thread_with_out_of_office_get_additional_users(
        self, message, recipients_data, ooo_author, msg_vals=False
    ):
        # mail reads the assigned agent (staff-only) as the customer who posts
        return super(
            ServiceTicket, self.sudo()
        )._notify_thread_with_out_of_office_get_additional_users(
            message, recipients_data, ooo_author, msg_vals=msg_vals
        )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to a team alias becomes a request of the sender's customer (and job site
        when the sender is attached to one); an unknown sender becomes a new contact."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if not author and msg_dict.get("email_from"):
            author = self.env["mail.thread"]._partner_find_from_emails_single(
                [msg_dict["email_from"]], no_create=False
            )
        values["name"] = "New"
        values.setdefault("subject", msg_dict.get("subject") or self.env._("No Subject"))
        if author:
            site = author._service_job_site()
            values.setdefault("requester_id", author.id)
            values.setdefault("partner_id", author.service_customer_id.id)
            if site and site != author:
                values.setdefault("site_id", site.id)
        return super().message_new(msg_dict, custom_values=values)

    def message_update(self, msg_dict, update_vals=None):
        """A customer's reply to a completed request reopens it."""
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if author and not author.user_ids.filtered(lambda user: not user.share):
            self.filtered(lambda ticket: ticket._can_be_reopened()).write({"state": "open"})
        return super().message_update(msg_dict, update_vals=update_vals)

    def _subscribe_team(self):
        """The team's members follow its requests: they are emailed when a customer writes."""
        for ticket in self.filtered("team_id"):
            ticket.message_subscribe(partner_ids=ticket.team_id.member_ids.partner_id.ids)

    # ------------------------------------------------------------------
    # Customer rating (Odoo's rating.mixin)
    # ------------------------------------------------------------------

    def _rating_get_operator(self):
        # the assigned agent is staff-only; the customer's rating reads it
        return super(ServiceTicket, self.sudo())._rating_get_operator()

    def _rating_get_partner(self):
        """The contact who filed the request is asked to rate it; the customer otherwise."""
        return self.requester_id or super()._rating_get_partner()

    def _rating_apply_get_default_subtype_id(self):
        return self.env["ir.model.data"]._xmlid_to_res_id("service_helpdesk.mt_ticket_rating")

    def rating_apply(self, rate, token=None, rating=None, feedback=None, **kwargs):
        """Whichever way it comes (the portal page or the links of the rating email),
        the rating counts for the request's current completion."""
        rating = super().rating_apply(rate, token=token, rating=rating, feedback=feedback, **kwargs)
        self.filtered(lambda ticket: ticket.state == "completed").sudo().write(
            {"completion_rating_id": rating.id}
        )
        return rating

    def _send_rating_request(self):
        """Email the rating request of the request's stage, unless the customer moved it
        there (they rate it on the page they are on)."""
        for ticket in self:
            partner = ticket._rating_get_partner()
            if partner and partner != self.env.user.partner_id:
                ticket.sudo().rating_send_request(
                    ticket.stage_id.rating_template_id, lang=partner.lang, force_send=False
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _response_deadline_from(self, start):
        """The response target of the request's nature, counted in the company's working
        hours (its working schedule, public holidays included), as naive UTC."""
        self.ensure_one()
        hours = self.type_id._response_hours_for(self.priority)
        calendar = self.env.company.resource_calendar_id
        if not calendar:
            return start + timedelta(hours=hours)
        deadline = calendar.plan_hours(hours, start.replace(tzinfo=UTC), compute_leaves=True)
        return (
            deadline.astimezone(UTC).replace(tzinfo=None)
            if deadline
            else start + timedelta(hours=hours)
        )
