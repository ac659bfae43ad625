from odoo.tests import tagged

from .common import ServicePortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalTour(ServicePortalHttpCase):
    def test_customer_requests_service_from_equipment(self):
        before = self.env["service.order"].search([("equipment_id", "=", self.north_equipment.id)])
        self.start_tour("/my", "service_portal_request_service", login=self.manager_user.login)
        after = self.env["service.order"].search([("equipment_id", "=", self.north_equipment.id)])
        new_order = after - before
        self.assertEqual(len(new_order), 1)
        self.assertEqual(new_order.state, "draft")
        self.assertEqual(new_order.site_id, self.north)
        self.assertIn("bangs when it starts", new_order.description)

    def test_phone_width_pages_have_no_horizontal_scroll(self):
        self.browser_size = "375x812"
        self.start_tour("/my", "service_portal_phone_width", login=self.north_user.login)
