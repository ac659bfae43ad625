from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mail import html2plaintext

# The customer signs on the technician's device once the work has started: while it is under
# way (the technician shows what was done before leaving) or after it is marked done. Not
# before (nothing to sign for yet), not on a cancelled order.
TECHNICIAN_SIGN_STATES = ("in_progress", "done")
COMPLETED_TEMPLATE = "service_portal.mail_template_order_completed"
SUMMARY_TEMPLATE = "service_licensing.mail_template_work_summary"


# The field app's signature and summary, apart from service_order.py while other features
# of the workspace are built beside it in parallel; to be merged into it by the lead.
class ServiceOrder(models.Model):
    _inherit = "service.order"  # pylint: disable=consider-merging-classes-inherited

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
                    and not partner.is_job_site
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

    def _technician_set_state(self, state):
        if state != "done":
            return super()._technician_set_state(state)
        # done from the workspace: the customer's "completed" email is the visit's summary
        return super(
            ServiceOrder, self.with_context(service_technician_done=True)
        )._technician_set_state(state)

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
        sections += order._technician_done_summary_work_sections()
        return {
            "lines": lines,
            "sections": sections,
            "signed": bool(order.signature),
            "report_url": f"{base}&report_type=pdf&download=true",
            "portal_url": base,
        }

    def _technician_done_summary_work_sections(self):
        """The checklist and the parts and time used, as summary sections (none when empty)."""
        self.ensure_one()
        order = self.sudo()
        sections = []
        if order.checklist_line_ids:
            sections.append(
                {
                    "key": "checklist",
                    "title": self.env._("Checklist"),
                    "items": [
                        (self.env._("Done: %s", line.name))
                        if line.done
                        else self.env._("Not done: %s", line.name)
                        for line in order.checklist_line_ids.sorted(
                            lambda line: (line.sequence, line.id)
                        )
                    ],
                }
            )
        if order.usage_line_ids:
            items = []
            for usage in order.usage_line_ids:
                if usage.usage_type == "time":
                    items.append(self.env._("Time: %(hours)s h", hours=f"{usage.quantity:g}"))
                else:
                    items.append(
                        self.env._(
                            "%(part)s: %(quantity)s",
                            part=usage.name,
                            quantity=f"{usage.quantity:g}",
                        )
                    )
            sections.append(
                {"key": "usage", "title": self.env._("Parts and time used"), "items": items}
            )
        return sections
