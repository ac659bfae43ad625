from markupsafe import Markup

from odoo import models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from ..const import CHANGE_COMMENT_MAX_LENGTH, CHANGE_KINDS, ENDED_STATES, MARKUP_RE


class ServiceSubscriptionChangeMixin(models.AbstractModel):
    """A customer's admin asks the service company to cancel a subscription or to keep
    fewer licences: checked here, then sent where ``_send_change_request`` sends it (a note
    to the licensing managers; ``service_licensing_helpdesk`` files a support request).
    Nothing about the subscription changes by itself: support does it."""

    _name = "service.subscription.change.mixin"
    _description = "Licence Subscription: Cancellation and Reduction Requests"

    def _check_change_request(self, kind, quantity=None, comment=None):
        """Validate a cancellation or reduction request of the customer's admin.

        :param str kind: ``cancel`` or ``reduce``
        :param quantity: for ``reduce``, the number of licences to keep, as typed
        :param comment: optional plain text
        :return: ``(kind, quantity or None, comment)`` cleaned
        :raise UserError: with a message for the admin
        """
        self.ensure_one()
        sub = self.sudo()
        if kind not in CHANGE_KINDS:
            raise FieldUserError(
                self.env._("Choose whether to cancel the subscription or to keep fewer licences."),
                "kind",
            )
        if sub.state in ENDED_STATES:
            raise UserError(
                self.env._("This subscription has ended: there is nothing to cancel or reduce.")
            )
        comment = (comment or "").strip() if isinstance(comment, str) else ""
        if len(comment) > CHANGE_COMMENT_MAX_LENGTH:
            raise FieldUserError(
                self.env._(
                    "The comment is too long: %(max)s characters at most.",
                    max=CHANGE_COMMENT_MAX_LENGTH,
                ),
                "comment",
            )
        if MARKUP_RE.search(comment):
            raise FieldUserError(
                self.env._("The comment must be plain text: please remove the < > markup."),
                "comment",
            )
        if kind == "cancel":
            return kind, None, comment
        lowest = max(sub.quantity_allocated, 1)
        highest = sub.quantity - 1
        if highest < lowest:
            raise UserError(
                self.env._(
                    "All %(count)s licences are allocated: remove technicians first, or ask to "
                    "cancel the subscription.",
                    count=sub.quantity,
                )
                if sub.quantity_allocated >= sub.quantity
                else self.env._("This subscription has a single licence: ask to cancel it instead.")
            )
        try:
            wanted = int(str(quantity or "").strip())
        except ValueError:
            wanted = None
        if wanted is None or not lowest <= wanted <= highest:
            raise FieldUserError(
                self.env._(
                    "Enter the number of licences to keep: a whole number from %(lowest)s to "
                    "%(highest)s (%(allocated)s are allocated, %(bought)s bought).",
                    lowest=lowest,
                    highest=highest,
                    allocated=sub.quantity_allocated,
                    bought=sub.quantity,
                ),
                "quantity",
            )
        return kind, wanted, comment

    def _request_change(self, kind, quantity=None, comment=None):
        """Ask the service company to cancel this subscription or reduce its licences.

        Nothing about the subscription changes here: support does it (in Stripe, or on the
        sales order of an on-account plan). The request goes where ``_send_change_request``
        sends it.

        :return: the record that follows the request, which the customer can open, or
            ``None`` (see ``_send_change_request``)
        :raise UserError: with a message for the admin when the request is not valid
        """
        self.ensure_one()
        self._check_licensing_admin()
        kind, wanted, comment = self._check_change_request(kind, quantity, comment)
        sub = self.sudo()
        requester = self.env.user.partner_id
        if kind == "cancel":
            subject = self.env._("Cancel my subscription: %(plan)s", plan=sub.product_id.name)
            summary = self.env._(
                "%(name)s asks to cancel the subscription %(plan)s (%(count)s licences, "
                "%(allocated)s allocated) of %(customer)s.",
                name=requester.name,
                plan=sub.product_id.name,
                count=sub.quantity,
                allocated=sub.quantity_allocated,
                customer=sub.partner_id.name,
            )
        else:
            subject = self.env._(
                "Reduce my subscription %(plan)s to %(wanted)s licences",
                plan=sub.product_id.name,
                wanted=wanted,
            )
            summary = self.env._(
                "%(name)s asks to reduce the subscription %(plan)s of %(customer)s from "
                "%(count)s to %(wanted)s licences (%(allocated)s allocated).",
                name=requester.name,
                plan=sub.product_id.name,
                customer=sub.partner_id.name,
                count=sub.quantity,
                wanted=wanted,
                allocated=sub.quantity_allocated,
            )
        details = Markup("<p>%s</p>") % self.env._(
            "Subscription #%(id)s, %(mode)s, Stripe subscription %(stripe)s.",
            id=sub.id,
            mode=dict(sub._fields["payment_mode"].selection)[sub.payment_mode],
            stripe=sub.stripe_subscription_id or "-",
        )
        if comment:
            details += Markup("<p>%s</p>") % self.env._("Comment:") + plaintext2html(comment)
        return self._send_change_request(subject, summary, details)

    def _send_change_request(self, subject, summary, details):
        """Send a valid change request of the current user (a customer's admin) to the
        service company: here, a note to the licensing managers on the subscription's
        chatter (and by email). ``service_licensing_helpdesk`` files a support request
        instead.

        :param str subject: the request in a line
        :param str summary: who asks for what, in a sentence (plain text)
        :param Markup details: the subscription's references and the admin's comment
        :return: the record that follows the request, which the customer can open (see
            ``_change_request_confirmation``), or ``None``: here, the managers answer by
            email
        """
        requester = self.env.user.partner_id
        managers = (
            self.env.ref("service_licensing.group_licensing_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share)
            .partner_id
        )
        self.sudo().message_post(
            body=Markup("<p>%s</p>") % summary + details,
            subject=subject,
            author_id=requester.id,
            partner_ids=managers.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return None

    def _change_request_confirmation(self, sent):
        """What the admin is told once the change request is sent; ``sent`` is what
        ``_send_change_request`` returned (here ``None``: the managers answer by email)."""
        del sent  # nothing to name: the managers answer by email
        return self.env._(
            "Your request is sent to our licensing team: they will contact you. "
            "Nothing changes until they do."
        )
