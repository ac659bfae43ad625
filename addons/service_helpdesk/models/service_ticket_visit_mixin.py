"""A support request that needs a visit: the customer picks the free arrival windows of the
job site on the request form (service_portal's windows, computed there), the visit is the
draft service order every portal request of a visit makes
(``service.order._portal_create_requested``), and the dispatcher confirms one of its windows
from the request."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..const import ORDER_DESCRIPTION_MAX


class ServiceTicketVisitMixin(models.AbstractModel):
    """The visit a support request may ask for (see the module's docstring); inherited by
    ``service.ticket``."""

    _name = "service.ticket.visit.mixin"
    _description = "Support Request: Visit"

    visit_order_id = fields.Many2one(
        "service.order",
        string="Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The service order of the visit the customer asked for with the request.",
    )
    visit_window_ids = fields.One2many(
        related="visit_order_id.arrival_window_ids",
        string="Arrival Windows",
        groups="base.group_user",
    )
    visit_windows_to_confirm = fields.Boolean(
        compute="_compute_visit_windows_to_confirm", groups="base.group_user"
    )

    @api.depends("visit_order_id.arrival_window_ids.state")
    def _compute_visit_windows_to_confirm(self):
        for ticket in self:
            ticket.visit_windows_to_confirm = "proposed" in ticket.sudo().visit_window_ids.mapped(
                "state"
            )

    def action_confirm_visit_window(self):
        """Confirm the first window of the visit still free (one click from the request)."""
        # dispatchers only: said plainly, not as a window "no longer free"
        self.env["service.order.window"].check_access("write")
        for ticket in self:
            if not ticket.visit_order_id:
                raise UserError(self.env._("No visit was asked for with this request."))
            ticket.visit_order_id.action_confirm_first_window()
        return True

    # ------------------------------------------------------------------
    # Portal: the windows offered and picked; the dispatcher's confirmation
    # ------------------------------------------------------------------

    @api.model
    def _visit_order_values(self, partner, site=None, equipment=None):
        """The values of the visit of a request: what the windows are computed for."""
        return {
            "kind": "service",
            "partner_id": partner.id,
            "site_id": site.id if site else False,
            "equipment_id": equipment.id if equipment else False,
        }

    @api.model
    def _visit_allowed(self, ticket_type):
        """Whether a request of this nature may ask for a visit from the portal: the nature
        needs one and the operator lets customers request service."""
        sections = self.env["service.portal.settings"].get_shown_sections()
        return bool(ticket_type and ticket_type.needs_visit and sections.get("equipment_request"))

    @api.model
    def _portal_visit_offer(self, ticket_type, partner, site=None):
        """``(offered, tz)``: the free windows ``[(key, label)]`` of a new visit for the
        customer ``partner`` at ``site`` and the zone they are told in; ``([], False)`` when
        the nature asks for no visit."""
        if not self._visit_allowed(ticket_type) or not partner:
            return [], False
        visit = self.env["service.order"].sudo().new(self._visit_order_values(partner, site))
        return visit._arrival_offered(), visit._arrival_tz()

    def _portal_request_visit(self, windows):
        """Called from the portal right after the request is created: the visit at the
        windows picked (keys of ``service.order._arrival_offered``), as a draft service order
        for the dispatchers, through the same path as the equipment and job-site requests."""
        self.ensure_one()
        windows = [key for key in windows or [] if isinstance(key, str) and key]
        if not windows:
            return self.env["service.order"]
        if not self._visit_allowed(self.type_id):
            # not a field of this form: told at the top of the form
            raise UserError(self.env._("This kind of request does not ask for a visit."))
        if self.visit_order_id:
            raise UserError(self.env._("A visit was already asked for."))
        text = html2plaintext(self.description or "").strip()
        description = f"{self.name}: {self.subject}\n\n{text}".strip()
        if len(description) > ORDER_DESCRIPTION_MAX:
            description = description[: ORDER_DESCRIPTION_MAX - 1] + "…"
        try:
            order = self.env["service.order"]._portal_create_requested(
                self._visit_order_values(self.partner_id, self.site_id, self.equipment_id),
                description,
                windows,
            )
        except FieldUserError:
            raise
        except UserError as error:
            # the windows were refused (not offered, no longer free, too many)
            raise FieldUserError(error.args[0], "windows") from None
        self.sudo().visit_order_id = order
        labels = (
            order.sudo()
            .arrival_window_ids.filtered(lambda window: window.state == "proposed")
            .mapped("label")
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("A visit is asked for in one of these windows:"),
            Markup().join(Markup("<li>%s</li>") % label for label in labels),
        )
        self.message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return order

    def _portal_visit_values(self):
        """What the request page tells of its visit."""
        self.ensure_one()
        order = self.sudo().visit_order_id
        return {
            "visit_order": order,
            "visit_requested": order.arrival_window_ids.filtered(
                lambda window: window.state == "proposed"
            ),
        }

    def _visit_log_confirmed(self, window):
        """In the request's conversation, which the customer reads: the visit is confirmed.
        Nobody is emailed here: the customer gets the "Visit confirmed" mail of the order."""
        message = Markup("<p>%s</p>") % self.env._(
            "Visit confirmed: %(window)s (%(order)s).",
            window=window.label,
            order=window.order_id.name,
        )
        author = self.env.user.partner_id
        self.sudo()._message_create(
            [
                {
                    "model": self._name,
                    "res_id": ticket.id,
                    "body": message,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "is_internal": False,
                }
                for ticket in self
            ]
        )
