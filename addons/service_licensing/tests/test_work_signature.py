"""The customer signs on the technician's device, and the summary the customer receives
when the technician marks the work done."""

import base64
import io

from PIL import Image, ImageDraw

from odoo import Command, http
from odoo.addons.service_portal.tests.a11y import AxeTourMixin
from odoo.addons.service_portal.tests.readonly_routes import ReadonlyRoutesMixin
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.pdf import PdfFileReader

from .common import LicensingCommon


def drawn_signature(fmt="PNG", size=(300, 100)):
    """A drawing as the signature widget sends it: base64, without the data: prefix."""
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (290, 15)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return base64.b64encode(buffer.getvalue()).decode()


SIGNATURE = drawn_signature()


class WorkSignatureMixin(LicensingCommon):
    @classmethod
    def _setup_refs(cls):
        cls._setup_licensing_base()
        cls.licence = cls.terry_licence
        cls.order = cls.north_order  # assigned to Terry
        cls.not_assigned = cls.south_order
        cls.manager = cls.manager_user
        cls.north_contact = cls.north_user.partner_id  # Nick Northcott, at the order's site


@tagged("post_install", "-at_install")
class TestWorkSignature(WorkSignatureMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_refs()
        for user in (cls.manager, cls.parkway_user):
            user.password = user.login

    def _sign(self, order, name="Nick Northcott", signature=SIGNATURE):
        return self.make_jsonrpc_request(
            f"/my/work/{order.id}/sign", {"name": name, "signature": signature}
        )

    def _assert_unsigned(self, order, messages_before):
        self.env.invalidate_all()
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertFalse(order.signed_on)
        self.assertEqual(len(order.message_ids), messages_before)

    def test_assigned_technician_collects_the_signature_once(self):
        self.order.action_start()
        self.authenticate(self.terry.login, self.terry.login)
        with ReadonlyRoutesMixin._assert_no_write(self, "the work order page with the form"):
            page = self.url_open(f"/my/work/{self.order.id}").text
        self.assertIn('id="service_work_signature"', page)
        self.assertIn("portal.signature_form", page)
        self.assertIn(f"/my/work/{self.order.id}/sign", page)
        self.assertIn("Nick Northcott", page)  # the site's contact, pre-filled

        result = self._sign(self.order)
        self.assertEqual(result["redirect_url"], f"/my/work/{self.order.id}")
        self.env.invalidate_all()
        self.assertEqual(self.order.signed_by, "Nick Northcott")
        self.assertTrue(self.order.signed_on)
        self.assertTrue(self.order.signature)
        note = self.order.message_ids[0]
        self.assertIn(
            "Signed on site by Nick Northcott (collected by technician Terry Tech)", note.body
        )
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.attachment_ids.mimetype, "application/pdf")
        page = self.url_open(result["redirect_url"]).text
        self.assertIn('id="service_work_signed"', page)
        self.assertIn("The signature is saved", page)
        # said once: the next visit of the page shows the signature, not the message
        self.assertNotIn('id="service_work_signed"', self.url_open(result["redirect_url"]).text)
        self.assertNotIn("portal.signature_form", page)
        self.assertIn("Signed by <strong>Nick Northcott</strong>", page)
        # the signature stays out of the technician's work log
        self.assertNotIn("Signed on site", page[page.index('id="service_work_log"') :])

        messages = len(self.order.message_ids)
        result = self._sign(self.order, name="Somebody Else")
        self.assertIn("already signed", result["error"])
        self.env.invalidate_all()
        self.assertEqual(self.order.signed_by, "Nick Northcott")
        self.assertEqual(len(self.order.message_ids), messages)

        # the customer's own page shows it signed, and asks for no second sign-off
        self.order.action_done()
        self.authenticate(self.manager_user.login, self.manager_user.login)
        page = self.url_open(f"/my/service-orders/{self.order.id}").text
        self.assertIn("Signed off by <strong>Nick Northcott</strong>", page)
        self.assertNotIn("portal.signature_form", page)

    def _sign_error(self, order, params):
        """The message a refused signature answers: the route's own, or the JSON-RPC error
        of the layers before it (session, input layer)."""
        response = self.url_open(
            f"/my/work/{order.id}/sign",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        return (body.get("result") or {}).get("error") or body.get("error", {}).get("data", {}).get(
            "message"
        )

    def test_only_the_assigned_licensed_technician_may_collect_it(self):
        self.order.action_start()
        self.not_assigned.action_start()
        self.env.cr.precommit.run()  # the status changes' tracking messages
        cases = [
            (self.terry.login, self.terry.login, self.not_assigned, "not assigned to you"),
            (self.manager.login, self.manager.login, self.order, "licence"),
            (self.parkway_user.login, self.parkway_user.login, self.order, "licence"),
        ]
        for login, password, order, message in cases:
            with self.subTest(login=login, order=order.name):
                before = len(order.message_ids)
                self.authenticate(login, password)
                result = self._sign(order)
                self.assertIn(message, result["error"])
                self._assert_unsigned(order, before)
        # a technician whose licence is removed while the phone is still logged in
        before = len(self.order.message_ids)
        self.authenticate(self.terry.login, self.terry.login)
        self.licence.action_revoke()
        self.assertTrue(self._sign_error(self.order, {"name": "X", "signature": SIGNATURE}))
        self._assert_unsigned(self.order, before)
        # a visitor: no session
        self.authenticate(None, None)
        self.assertTrue(self._sign_error(self.order, {"name": "X", "signature": SIGNATURE}))
        self._assert_unsigned(self.order, before)

    def test_bad_drawings_and_names_are_refused_clearly(self):
        self.order.action_start()
        self.env.cr.precommit.run()
        self.authenticate(self.terry.login, self.terry.login)
        gif = io.BytesIO()
        Image.new("RGB", (20, 20)).save(gif, format="GIF")
        cases = [
            ({"signature": ""}, "The signature is missing"),
            ({"signature": None}, "The signature is missing"),
            ({"signature": "not base64 at all"}, "could not be read"),
            ({"signature": "aGVsbG8="}, "could not be read"),  # base64 of "hello"
            ({"signature": base64.b64encode(gif.getvalue()).decode()}, "could not be read"),
            ({"signature": SIGNATURE[:200]}, "could not be read"),  # a truncated PNG
            ({"signature": "A" * (3 * 1024 * 1024)}, "too large"),
            ({"name": ""}, "Type your name"),
            ({"name": "   "}, "Type your name"),
            ({"name": None}, "Type your name"),
            # the input layer refuses a list or an object for one value (a JSON-RPC error)
            ({"signature": {"png": SIGNATURE}}, "single value"),
            ({"name": ["Nick", "Wanda"]}, "single value"),
        ]
        before = len(self.order.message_ids)
        for params, message in cases:
            with self.subTest(params=str(params)[:80]):
                error = self._sign_error(
                    self.order, {"name": "Nick Northcott", "signature": SIGNATURE, **params}
                )
                self.assertIn(message, error or "")
                self._assert_unsigned(self.order, before)

    def test_not_before_the_work_has_started(self):
        self.assertEqual(self.order.state, "scheduled")
        self.authenticate(self.terry.login, self.terry.login)
        self.assertNotIn(
            'id="service_work_signature"', self.url_open(f"/my/work/{self.order.id}").text
        )
        before = len(self.order.message_ids)
        result = self._sign(self.order)
        self.assertIn("start", result["error"])
        self._assert_unsigned(self.order, before)
        self.order.action_cancel()
        self.env.cr.precommit.run()  # the status change's tracking message
        before = len(self.order.message_ids)
        result = self._sign(self.order)
        self.assertIn("is cancelled", result["error"])
        self._assert_unsigned(self.order, before)

    # ------------------------------------------------------------------
    # Done: the summary the customer receives
    # ------------------------------------------------------------------

    def _post(self, url, data=None):
        return self.url_open(
            url, data={**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        )

    def _summaries(self):
        return self.order.message_ids.filtered(
            lambda message: message.subject == f"Work completed: {self.order.name}"
        )

    def test_done_sends_one_summary_to_the_customer_contacts(self):
        self.authenticate(self.terry.login, self.terry.login)
        self._post(f"/my/work/{self.order.id}/state", {"state": "in_progress"})
        self._post(f"/my/work/{self.order.id}/note", {"note": "Burner cleaned, pressure 1.5 bar"})
        self._sign(self.order)
        self._post(f"/my/work/{self.order.id}/state", {"state": "done"})
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "done")

        summary = self._summaries()
        self.assertEqual(len(summary), 1, "one email, not a summary and a 'completed' mail")
        notified = summary.notification_ids.filtered(
            lambda notification: notification.notification_type == "email"
        ).res_partner_id
        self.assertEqual(notified, self.north_contact | self.manager.partner_id)
        body = summary.body
        for expected in (
            "Burner cleaned, pressure 1.5 bar",
            "Terry Tech",
            "Signed by Nick Northcott",
            self.order._service_window_text(),
            f"/my/service-orders/{self.order.id}?access_token={self.order.sudo().access_token}"
            "&amp;report_type=pdf&amp;download=true",
        ):
            self.assertIn(expected, body)
        self.assertIn("On site", body)  # started, then done: the time on site
        self.assertEqual(len(summary.attachment_ids), 1)  # the report
        # the link opens the report for someone with the email only
        self.authenticate(None, None)
        report = self.url_open(
            f"/my/service-orders/{self.order.id}?access_token={self.order.sudo().access_token}"
            "&report_type=pdf&download=true"
        )
        self.assertEqual(report.status_code, 200)

        # the workspace shows the summary too, on its read-only cursor
        self.authenticate(self.terry.login, self.terry.login)
        with ReadonlyRoutesMixin._assert_no_write(self, "the done work order page"):
            page = self.url_open(f"/my/work/{self.order.id}").text
        self.assertIn('id="service_work_summary"', page)
        summary_html = page[page.index('id="service_work_summary"') :]
        self.assertIn("Burner cleaned, pressure 1.5 bar", summary_html)
        self.assertIn("Signed by Nick Northcott", summary_html)
        self.assertNotIn("access_token", summary_html)

    def test_done_summary_respects_the_contacts_preferences(self):
        self.north_contact.service_notify_order_updates = False
        self.authenticate(self.terry.login, self.terry.login)
        self._post(f"/my/work/{self.order.id}/state", {"state": "done"})
        summary = self._summaries()
        self.assertEqual(len(summary), 1)
        self.assertIn("Not signed yet", summary.body)
        notified = summary.notification_ids.res_partner_id
        self.assertEqual(notified, self.manager.partner_id)

    def test_no_summary_when_no_contact_wants_it(self):
        (self.north_contact | self.manager.partner_id).service_notify_order_updates = False
        self.authenticate(self.terry.login, self.terry.login)
        self._post(f"/my/work/{self.order.id}/state", {"state": "done"})
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "done")
        self.assertFalse(self._summaries())
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "service.order"), ("res_id", "=", self.order.id)])
        )

    def test_summary_values_can_be_extended(self):
        self.order.action_start()
        self.order.action_done()
        summary = self.order.with_user(self.terry)._technician_done_summary()
        self.assertEqual(set(summary), {"lines", "sections", "signed", "report_url", "portal_url"})
        self.assertEqual(summary["sections"][0]["key"], "notes")
        self.assertFalse(summary["signed"])

    def test_summary_holds_the_checklist_and_the_parts_and_time(self):
        self.order.checklist_line_ids = [
            Command.clear(),
            Command.create({"name": "Bleed the radiators", "sequence": 1, "done": True}),
            Command.create({"name": "Check the flue", "sequence": 2}),
        ]
        self.order.usage_line_ids = [
            Command.create({"usage_type": "part", "name": "Pressure valve", "quantity": 2}),
            Command.create({"usage_type": "time", "name": "Labour", "quantity": 1.5}),
        ]
        summary = self.order.with_user(self.terry)._technician_done_summary()
        sections = {section["key"]: section["items"] for section in summary["sections"]}
        self.assertEqual(
            sections["checklist"], ["Done: Bleed the radiators", "Not done: Check the flue"]
        )
        self.assertEqual(sections["usage"], ["Pressure valve: 2", "Time: 1.5 h"])

    def test_technician_takes_the_signature_on_a_phone(self):
        self.browser_size = "375x812"
        self.start_tour("/my/work", "service_licensing_work_signature", login=self.terry.login)
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "done")
        self.assertEqual(self.order.signed_by, "Nick Northcott")
        signature = Image.open(io.BytesIO(base64.b64decode(self.order.signature)))
        self.assertGreater(len(set(signature.convert("RGBA").getdata())), 1, "a drawing")
        self.assertEqual(len(self._summaries()), 1)


@tagged("post_install", "-at_install")
class TestWorkSignatureReport(WorkSignatureMixin, TransactionCase):
    """The report signed on the device is a real PDF (wkhtmltopdf) with the signer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls._setup_refs()

    def test_signed_on_site_report_is_a_pdf_with_the_signer(self):
        self.order.action_start()
        self.order.with_user(self.terry)._technician_sign("Nick Northcott", SIGNATURE)
        attachment = self.order.message_ids[0].attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF-"))
        reader = PdfFileReader(io.BytesIO(attachment.raw))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        self.assertIn(self.order.name, text)
        self.assertIn("Nick Northcott", text)
        self.assertIn("Signed off by", text)

    def test_summary_email_in_the_shared_layout(self):
        """The email as sent: the summary inside the shared layout (rendered from the
        order's conversation, where Odoo gives the layout the message only)."""
        self.order.action_start()
        self.env.cr.precommit.run()
        order = self.order.with_user(self.terry).with_context(mail_notify_force_send=False)
        order._technician_add_note("Burner cleaned", [])
        order._technician_set_state("done")
        summary = self.order.message_ids.filtered(
            lambda message: message.subject == f"Work completed: {self.order.name}"
        )
        mails = self.env["mail.mail"].search([("mail_message_id", "=", summary.id)])
        self.assertEqual(mails.recipient_ids, self.north_contact | self.manager.partner_id)
        for mail in mails:
            self.assertIn("o_service_mail_layout", mail.body_html)
            self.assertIn("Burner cleaned", mail.body_html)
            self.assertIn("Not signed yet", mail.body_html)


@tagged("post_install", "-at_install")
class TestWorkSignatureAccessibility(AxeTourMixin, LicensingCommon, HttpCase):
    """WCAG 2.1 A/AA (axe-core) and reflow of the work order page with the signature form
    (in progress) and with the summary (done), at 375, 1280 and 320 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()

    def test_signature_and_summary_pages(self):
        terry = self.terry
        terry.password = terry.login
        order = self.north_order
        done = self.north_done_order
        done.technician_ids |= terry
        order.action_start()
        done.with_user(terry).sudo()._technician_add_note("Burner cleaned " * 20, [])
        self.assert_pages_accessible(
            terry.login,
            [
                (f"/my/work/{order.id}", "#service_work_signature canvas"),
                (f"/my/work/{done.id}", "#service_work_summary"),
            ],
        )
