"""The service report is a real PDF, rendered by wkhtmltopdf as on a server: in test mode
Odoo returns HTML instead unless asked (`force_report_rendering`)."""

import io

from odoo.tests import TransactionCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import ServicePortalCommon

SIGNATURE = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestReportsPdf(ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls._setup_service_portal()

    def _pdf_text(self, content):
        self.assertTrue(content.startswith(b"%PDF-"), content[:40])
        reader = PdfFileReader(io.BytesIO(content))
        # words come out separated by tabs and newlines
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def test_every_report_of_the_addons_renders_as_a_pdf(self):
        reports = self.env["ir.actions.report"].search(
            [("model", "like", "service.%"), ("report_type", "=", "qweb-pdf")]
        )
        self.assertTrue(reports)
        records = {
            "service.order": self.north_done_order,
        }
        for report in reports:
            with self.subTest(report=report.report_name):
                record = records.get(report.model) or self.env[report.model].search([], limit=1)
                content, report_type = report._render_qweb_pdf(report.report_name, record.ids)
                self.assertEqual(report_type, "pdf")
                text = self._pdf_text(content)
                self.assertTrue(text.strip())

    def test_signed_off_report_is_a_pdf_with_the_signer(self):
        order = self.north_done_order.with_user(self.north_user).sudo()
        order._portal_sign_off("Nick Northcott", SIGNATURE)
        attachment = order.message_ids[0].attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        text = self._pdf_text(attachment.raw)
        self.assertIn(order.name, text)
        self.assertIn("Nick Northcott", text)

    def test_completion_email_carries_a_pdf_report(self):
        order = self.north_order
        order.action_start()
        order.action_done()
        message = order.message_ids.filtered(lambda m: "Work completed" in (m.subject or ""))
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn(order.name, self._pdf_text(message.attachment_ids.raw))
