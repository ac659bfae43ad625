from markupsafe import Markup

from odoo import models


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

    def _change_request_confirmation(self, sent):
        if not sent:
            return super()._change_request_confirmation(sent)
        return self.env._(
            "Your request is sent to our support team as %(ticket)s: its answers appear in "
            "Your Requests and in your email. Nothing changes until they answer it.",
            ticket=sent.name,
        )
