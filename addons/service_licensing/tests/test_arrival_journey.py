"""The field journey in Chromium, at phone width for the customer and the technician: the
customer requests service and picks windows, the dispatcher confirms one in one click, the
technician goes on the way, the customer's page shows the banner; the technician starts,
ticks the checklist, records a part, takes the customer's signature on the phone and
completes; the customer reads the signed report (a real PDF)."""

import io
from unittest.mock import patch

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.service_portal.tests.common import setup_arrival_windows
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestArrivalJourney(LicensingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()
        env = cls.env
        cls.manager = cls.manager_user
        cls.equipment = cls.north_equipment
        # the windows are told in the job site's zone (the customer's), never the viewer's
        cls.equipment.site_id.tz = "Europe/Brussels"
        cls.manager.tz = "Asia/Tokyo"
        for user in (cls.terry, cls.manager):
            user.password = user.login  # start_tour logs in with the login as password
        # the steps the technician ticks on site (the demo has the same for service visits)
        if not env["service.checklist.item"].search_count([("kind", "=", "service")]):
            env["service.checklist.item"].create(
                [
                    {"kind": "service", "sequence": sequence, "name": name}
                    for sequence, name in (
                        (10, "Reproduce the reported fault"),
                        (20, "Repair and test under load"),
                        (30, "Explain the repair to the customer"),
                    )
                ]
            )
        # Terry works every day in Brussels, with a lunch break
        setup_arrival_windows(env, cls.terry, lunch_break=True)
        cls.dispatcher = new_test_user(
            env, login="arrival_dispatcher", groups="service_portal.group_service_user"
        )

    def test_request_confirm_on_my_way_banner(self):
        Order = self.env["service.order"]
        before = Order.search([("equipment_id", "=", self.equipment.id)])
        self._service_tour(
            f"/my/equipment/{self.equipment.id}", "service_arrival_customer_request", self.manager
        )
        order = Order.search([("equipment_id", "=", self.equipment.id)]) - before
        self.assertEqual(len(order), 1)
        first = self._service_proposed_windows(order)[0]

        self._service_tour(
            f"/odoo/action-service_portal.action_service_orders/{order.id}",
            "service_arrival_dispatcher_confirms",
            self.dispatcher,
            "desktop",
        )
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(order.technician_ids, self.terry)
        self.assertEqual(order.date_start, first.window_start)
        self.assertIn(
            f"Visit confirmed: {order.name}", order.message_ids.mapped("subject"), "customer told"
        )

        self._service_tour(
            f"/my/work/{order.id}", "service_arrival_technician_on_my_way", self.terry
        )
        self.assertTrue(order.is_en_route)
        self._service_tour(
            f"/my/service-orders/{order.id}", "service_arrival_customer_banner", self.manager
        )

        self._service_tour(f"/my/work/{order.id}", "service_arrival_technician_works", self.terry)
        self.env.invalidate_all()
        self.assertEqual(order.state, "done")
        self.assertTrue(order.signature)
        self.assertTrue(order.checklist_line_ids.filtered("done"), "a step ticked")
        self.assertIn("Pressure valve", order.usage_line_ids.mapped("name"))
        self._service_tour(
            f"/my/service-orders/{order.id}", "service_arrival_customer_reads_report", self.manager
        )
        # the report the customer is offered, rendered as on a server (a test database
        # renders HTML unless asked for the PDF)
        render = IrActionsReport._render_qweb_pdf

        def render_pdf(report, *args, **kwargs):
            return render(report.with_context(force_report_rendering=True), *args, **kwargs)

        self.authenticate(self.manager.login, self.manager.login)
        with patch.object(IrActionsReport, "_render_qweb_pdf", render_pdf):
            response = self.url_open(order.get_portal_url(report_type="pdf", download=True))
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        reader = PdfFileReader(io.BytesIO(response.content))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        self.assertIn(order.name, text)
        self.assertIn(order.signed_by, text)
