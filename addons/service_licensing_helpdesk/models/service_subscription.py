from markupsafe import Markup

from odoo import api, models


class ServiceSubscription(models.Model):
    _inherit = "service.subscription"

    # ------------------------------------------------------------------
    # Cancellation and reduction requests
    # ------------------------------------------------------------------

    def _send_change_request(self, subject, summary, details):
        """A support request the customer follows in the portal, instead of a note to the
        licensing managers; staff see its reference on the subscription."""
        requester = self.env.user.partner_id
        ticket = self._create_change_ticket(
            subject, Markup("<p>%s</p>") % summary + details, requester
        )
        self.sudo().message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(summary)s Support request %(ticket)s.", summary=summary, ticket=ticket.name
            ),
            author_id=requester.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return ticket

    def _create_change_ticket(self, subject, body, requester):
        """The support request of a change, written as superuser (portal contacts only read
        requests), filed by the admin for the customer (and their job site, if they belong
        to one, so that they see it)."""
        self.ensure_one()
        Ticket = self.env["service.ticket"].sudo()
        site = requester._service_job_site()
        ticket_type = self.env.ref(
            "service_helpdesk.ticket_type_question", raise_if_not_found=False
        )
        return Ticket.create(
            {
                "subject": subject,
                "description": body,
                "partner_id": self.sudo().partner_id.id,
                "site_id": site.id if site and site != requester else False,
                "requester_id": requester.id,
                "type_id": ticket_type.id if ticket_type else False,
            }
        )

    @api.model
    def _portal_change_request(self, request_id):
        """The support request ``request_id`` if the current user may read it, else nothing."""
        try:
            request_id = int(request_id or 0)
        except (TypeError, ValueError):
            return None
        if not request_id:
            return None
        return self.env["service.ticket"].search([("id", "=", request_id)], limit=1) or None
