"""The customer's and the technician's main journeys in Chromium, each at 375 px (a phone)
and 1280 px (a laptop), one tour per person and sitting with the checks in Python between:

(b) the customer asks for service on a piece of equipment, the dispatcher plans it in the
    backend for the licensed technician, the technician works it in /my/work, the customer
    signs the work off on the order;
(c) the customer reads the service report (the link answers a PDF), approves a quote on
    Odoo's quote page by signing it, and opens the invoice to pay.

(a), from registration to the first request, is service_portal's
tests/test_journey_registration.py. Every portal page that the tours visit fits the screen
(service_portal's fit check: no sideways scroll) and a console error fails a tour. The
dispatcher works on a laptop in both. SERVICE_SCREENSHOTS=<folder> makes the phone runs
take the README's screenshots (service_portal/tests/journeys.py).
"""

from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytz

from odoo import fields
from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.service_portal.tests.common import DEMO_TAG
from odoo.addons.service_portal.tests.journeys import JourneyTourMixin
from odoo.tests import HttpCase, new_test_user, tagged

TZ = "America/Chicago"  # the customer's and the job site's (demo)


# The demo personas' journeys, which take the README's screenshots: on the demo data.
@tagged("post_install", "-at_install", DEMO_TAG)
class TestPersonaJourneys(JourneyTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.customer = ref("service_portal.user_winslow_manager")
        cls.terry = ref("service_licensing.user_technician_terry")
        cls.equipment = ref("service_portal.equipment_north_boiler")
        cls.done_order = ref("service_portal.order_north_boiler_done")
        cls.quote = ref("service_portal.quote_winslow_maintenance")
        cls.invoice = ref("service_portal.invoice_winslow_unpaid")
        cls.dispatcher = new_test_user(
            cls.env,
            login="journey_dispatcher",
            groups="service_portal.group_service_user",
        )
        for user in (cls.customer, cls.terry):
            user.password = user.login  # start_tour logs in with the login as password

    # (b) -------------------------------------------------------------------------------

    def _service_journey(self, width):
        Order = self.env["service.order"]
        before = Order.search([("equipment_id", "=", self.equipment.id)])
        self.journey_tour("/my", "service_journey_customer_requests", self.customer.login, width)
        order = Order.search([("equipment_id", "=", self.equipment.id)]) - before
        self.assertEqual(len(order), 1)
        self.assertEqual((order.state, order.site_id), ("draft", self.equipment.site_id))
        self.assertIn("bangs when it starts", order.description)

        # tomorrow from 9 to 11 at the job site; the backend shows times in the browser's
        # zone, UTC in the tests: the dispatcher types them in UTC
        day = fields.Date.today() + timedelta(days=1)
        local = [datetime.combine(day, time(hour)) for hour in (9, 11)]
        start, end = (
            pytz.timezone(TZ).localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
            for moment in local
        )
        self.journey_tour(
            f"/odoo/action-service_portal.action_service_orders/{order.id}",
            "service_journey_dispatcher_schedules",
            self.dispatcher.login,
            "desktop",  # the dispatcher works on a laptop
            dateStart=start.strftime("%m/%d/%Y %H:%M:%S"),
            dateEnd=end.strftime("%m/%d/%Y %H:%M:%S"),
        )
        self.assertEqual(order.state, "scheduled")
        self.assertEqual((order.date_start, order.date_end), (start, end))
        self.assertEqual(order.technician_ids, self.terry)

        self.journey_tour(
            "/my", "service_journey_technician_works", self.terry.login, width, orderId=order.id
        )
        self.assertEqual(order.state, "done")
        self.assertIn(
            "ignition electrode replaced", "".join(order.message_ids.mapped("body")), "the note"
        )

        self.journey_tour(
            "/my",
            "service_journey_customer_signs_off",
            self.customer.login,
            width,
            orderId=order.id,
        )
        self.assertTrue(order.signature)
        self.assertEqual(order.signed_by, self.customer.name)

    def test_customer_request_dispatch_work_sign_off_phone(self):
        self._service_journey("phone")

    def test_customer_request_dispatch_work_sign_off_desktop(self):
        self._service_journey("desktop")

    # (c) -------------------------------------------------------------------------------

    def _documents_journey(self, width):
        self.assertEqual(self.done_order.state, "done")
        self.assertTrue(self.quote._has_to_be_signed())
        report_url = self.done_order.get_portal_url(report_type="pdf", download=True)
        self.journey_tour(
            f"/my/service-orders/{self.done_order.id}",
            "service_journey_customer_documents",
            self.customer.login,
            width,
            quoteId=self.quote.id,
            invoiceId=self.invoice.id,
            reportUrl=report_url,
        )
        # the link the customer was offered answers a PDF, rendered as on a server (a test
        # database renders HTML unless asked for the PDF)
        render = IrActionsReport._render_qweb_pdf

        def render_pdf(report, *args, **kwargs):
            return render(report.with_context(force_report_rendering=True), *args, **kwargs)

        self.authenticate(self.customer.login, self.customer.login)
        with patch.object(IrActionsReport, "_render_qweb_pdf", render_pdf):
            response = self.url_open(report_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"), response.content[:40])
        self.assertTrue(self.quote.signature)
        self.assertEqual(self.quote.signed_by, self.customer.name)
        self.assertEqual(self.quote.state, "sale")

    def test_customer_report_quote_invoice_phone(self):
        self._documents_journey("phone")

    def test_customer_report_quote_invoice_desktop(self):
        self._documents_journey("desktop")
