from odoo import fields, models
from odoo.addons.service_portal.controllers.inputs import parse_id
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.fields import Command
from odoo.tools import plaintext2html

from .. import const


class ServiceTicketType(models.Model):
    """The "nature of request" a customer picks first; it decides which questions follow."""

    _name = "service.ticket.type"
    _description = "Nature of Request"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="Shown to the customer under the choice, e.g. what to have at hand.",
    )
    site_mode = fields.Selection(
        [("hidden", "Not asked"), ("optional", "Optional"), ("required", "Required")],
        string="Job Site",
        default="optional",
        required=True,
        help="Whether the portal form asks for the job site of the request.",
    )
    team_id = fields.Many2one(
        "service.ticket.team",
        groups="base.group_user",
        help="Requests of this nature go to this team.",
    )
    response_hours = fields.Integer(
        string="Response Target (working hours)",
        help="The customer is told we answer within this many working hours (the company's "
        "working schedule); 0 for no target.",
    )
    response_hours_high = fields.Integer(
        string="Response Target, High Priority",
        help="Working hours for high-priority requests; 0 to use the normal target.",
    )
    response_hours_urgent = fields.Integer(
        string="Response Target, Urgent",
        help="Working hours for urgent requests; 0 to use the high-priority target.",
    )
    needs_visit = fields.Boolean(
        string="Needs a Visit",
        help="The portal form offers the free arrival windows of the job site; the windows "
        "the customer picks become a visit for the dispatchers to confirm from the request.",
    )
    question_ids = fields.One2many("service.ticket.question", "type_id", string="Questions")
    ticket_count = fields.Integer(compute="_compute_ticket_count", groups="base.group_user")

    def _compute_ticket_count(self):
        counts = dict(
            self.env["service.ticket"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for ticket_type in self:
            ticket_type.ticket_count = counts.get(ticket_type, 0)

    def _response_hours_for(self, priority):
        """The response target in working hours for a request of this nature and priority."""
        self.ensure_one()
        high = self.response_hours_high or self.response_hours
        return {"2": self.response_hours_urgent or high, "1": high}.get(
            priority, self.response_hours
        )

    def _portal_request_values(self, form):
        """The values of a request of this nature filed on the portal form by the current
        portal contact, checked: ``form`` holds the submitted values (plain strings).

        :raise FieldUserError: naming every field refused, each with its message
        """
        self.ensure_one()
        partner = self.env.user.partner_id
        errors = {}
        subject = (form.get("subject") or "").strip()
        description = (form.get("description") or "").strip()
        texts = (
            (
                "subject",
                subject,
                const.SUBJECT_MAX_LENGTH,
                self.env._("Please give your request a subject."),
                self.env._("The subject is too long: %(max)s characters at most."),
            ),
            (
                "description",
                description,
                const.DESCRIPTION_MAX_LENGTH,
                self.env._("Please describe your request."),
                self.env._("The description is too long: %(max)s characters at most."),
            ),
        )
        for field, text, max_length, missing, too_long in texts:
            if not text:
                errors[field] = missing
            elif len(text) > max_length:
                errors[field] = too_long % {"max": max_length}
        site = self.env["res.partner"]
        if self.site_mode != "hidden" and form.get("site_id"):
            site_id = parse_id(form["site_id"])
            site = (
                self.env["service.ticket"]
                ._portal_request_sites()
                .filtered(lambda partner: partner.id == site_id)
            )
            if not site:
                errors["site_id"] = self.env._("Please pick one of your job sites from the list.")
        # A site contact's requests always belong to its site, or it could not see them.
        site = site or partner._service_job_site()
        equipment = self.env["service.equipment"]
        if form.get("equipment_id"):
            equipment_id = parse_id(form["equipment_id"])
            if equipment_id:
                equipment = equipment._portal_request_choices(equipment_id=equipment_id)
            if not equipment:
                errors["equipment_id"] = self.env._(
                    "This equipment is not one of yours: please pick it from the list."
                )
            elif site and equipment.site_id != site:
                errors["equipment_id"] = self.env._("This equipment is not at the chosen job site.")
            elif not site and self.site_mode != "hidden":
                site = equipment.site_id
        if self.site_mode == "required" and not site and "site_id" not in errors:
            errors["site_id"] = self.env._("Please pick the job site this request is about.")
        answers = []
        for question in self.question_ids:
            try:
                value = question._portal_answer_value(form.get(f"question_{question.id}"))
            except FieldUserError as error:
                errors.update(error.errors)
                continue
            if value:
                answers.append(
                    Command.create(
                        {
                            "question_id": question.id,
                            "sequence": question.sequence,
                            "name": question.name,
                            "value": value,
                        }
                    )
                )
        if errors:
            raise FieldUserError.from_errors(errors)
        return {
            "subject": subject,
            "description": plaintext2html(description),
            "type_id": self.id,
            "partner_id": partner.service_customer_id.id,
            "site_id": site.id,
            "equipment_id": equipment.id,
            "requester_id": partner.id,
            "answer_ids": answers,
        }
