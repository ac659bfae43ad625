from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.rating.models.rating_data import RATING_HAPPY_VALUE, RATING_LIMIT_MIN
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class ServiceTicketPortalMixin(models.AbstractModel):
    """What a customer does with a support request from the portal: file it from the form,
    close, reopen and rate it, add colleagues as subscribers; and the reopening window
    (a customer's reply by email reopens a request too). Each method checks what the
    current portal contact may do and raises ``UserError`` (a ``FieldUserError`` names the
    field of the form) when it is refused; the portal routes only tell the outcome.
    Inherited by ``service.ticket``, whose fields it reads."""

    _name = "service.ticket.portal.mixin"
    _description = "Support Request: Customer Actions on the Portal"

    @api.model
    def _reopen_days(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("service_helpdesk.reopen_days", "30")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return 30

    def _can_be_reopened(self):
        """Completed, and within the reopening window the operator set."""
        self.ensure_one()
        if self.state != "completed":
            return False
        closed = self.close_date or self.write_date
        return closed >= fields.Datetime.now() - timedelta(days=self._reopen_days())

    @api.model
    def _portal_request_sites(self):
        """Job sites the current portal contact may file a request for: its own site when
        attached to one, else every site of its customer."""
        scope = self.env.user.partner_id.service_scope_partner_id
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [("service_is_job_site", "=", True), ("id", "child_of", scope.id)], order="name"
            )
        )

    @api.model
    def _portal_create_request(self, ticket_type, form, uploads=()):
        """File a request of ``ticket_type`` from the portal form as the current portal
        contact: ``form`` (the submitted values, plain strings) is checked by the nature
        (:meth:`service.ticket.type._portal_request_values`), then the request, its answers
        and ``uploads`` (``(name, bytes)`` pairs, already checked) are written.

        :raise FieldUserError: naming every field refused; nothing is written
        """
        vals = ticket_type._portal_request_values(form)
        # Portal contacts only read requests: the checked values are written as superuser,
        # the author of the messages stays the contact.
        ticket = self.sudo().create(vals)
        if uploads:
            # ``attachments`` creates the files on the request and on the message, so that
            # the customer sees them in the conversation (``attachment_ids`` of a portal
            # user's post only takes files uploaded through the composer)
            ticket.message_post(
                body=Markup("<p>%s</p>") % self.env._("Files attached to the request."),
                attachments=list(uploads),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.env.user.partner_id.id,
            )
        return ticket

    def _portal_change_state(self, new_state, note, comment, author):
        """Close or reopen from the portal, with the customer's comment in the chatter.

        :raise UserError: when the request is not in a state that allows it
        """
        self.ensure_one()
        if new_state == "completed" and self.state != "open":
            raise UserError(self.env._("Only an open request can be closed."))
        if new_state == "open" and not self._can_be_reopened():
            raise UserError(
                self.env._(
                    "This request can no longer be reopened (completed too long ago): "
                    "file a new one."
                )
            )
        body = Markup("<p>%s</p>") % note
        if comment:
            body += plaintext2html(comment)
        self.write({"state": new_state})
        self.message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_comment", author_id=author.id
        )
        return True

    def _portal_close(self, comment, author):
        return self._portal_change_state(
            "completed", self.env._("The customer closed the request as resolved."), comment, author
        )

    def _portal_reopen(self, comment, author):
        return self._portal_change_state(
            "open", self.env._("The customer reopened the request."), comment, author
        )

    def _portal_rate(self, rate, feedback=None):
        """The current portal contact rates the completed request, once per completion,
        from 1 to 5 stars.

        :raise UserError: when the request cannot be rated (now) or the rate is not valid
        """
        self.ensure_one()
        self._service_check_customer_contact()
        if self.state != "completed" or self.completion_rating_id:
            raise UserError(self.env._("Only a completed request can be rated, once."))
        try:
            rate = int(rate)
        except (TypeError, ValueError):
            rate = None
        if rate is None or not RATING_LIMIT_MIN <= rate <= RATING_HAPPY_VALUE:
            raise UserError(self.env._("Please pick a rating from 1 to 5 stars."))
        # the token of the rating the request email carries, or a new one for this contact
        token = self._rating_get_access_token(partner=self.env.user.partner_id)
        self.sudo().rating_apply(rate, token=token, feedback=feedback or False)

    def _portal_estimates(self):
        """Estimates the customer sees on the request: the quotations staff sent, and what
        became of them (drafts stay internal)."""
        self.ensure_one()
        return self.sudo().estimate_ids.filtered(lambda order: order.state != "draft")

    @api.model
    def _portal_open_count_by_site(self, sites):
        """{site: number of open requests the current user may see}, in one query; for the
        "open activities" column of the job site list."""
        groups = self._read_group(
            [("site_id", "in", sites.ids), ("state", "=", "open")], ["site_id"], ["__count"]
        )
        return dict(groups)

    def _portal_subscriber_candidates(self):
        """Portal contacts who may be added as subscribers: users with portal access whose
        scope covers this request (so they can read it), always within its customer."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", True),
                    ("partner_id", "child_of", customer.id),
                    # the id from the cached xmlid (env.ref would check that it exists)
                    (
                        "group_ids",
                        "in",
                        self.env["ir.model.data"]._xmlid_to_res_id("base.group_portal"),
                    ),
                ]
            )
        )
        ancestors = self.env["res.partner"].sudo()
        partner = self.sudo().scope_partner_id
        while partner and partner not in ancestors:
            ancestors |= partner
            partner = partner.parent_id
        partners = users.partner_id.filtered(
            lambda partner: (
                partner.service_customer_id == customer
                and partner.service_scope_partner_id in ancestors
            )
        )
        return partners.sorted("name")

    def _portal_subscribers(self):
        """Followers shown on the portal: the customer's own contacts, never anyone else's."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        return (
            self.sudo()
            .message_partner_ids.filtered(
                lambda partner: (
                    not partner.user_ids.filtered(lambda user: not user.share)
                    and partner.service_customer_id == customer
                )
            )
            .sorted("name")
        )

    def _portal_add_subscriber(self, partner):
        self.ensure_one()
        if partner not in self._portal_subscriber_candidates():
            raise UserError(
                self.env._("Only colleagues with portal access to this request can be subscribed.")
            )
        self.sudo().message_subscribe(partner_ids=partner.ids)

    def _portal_remove_subscriber(self, partner):
        self.ensure_one()
        if partner not in self._portal_subscribers():
            raise UserError(self.env._("This person is not a subscriber of the request."))
        self.sudo().message_unsubscribe(partner_ids=partner.ids)
