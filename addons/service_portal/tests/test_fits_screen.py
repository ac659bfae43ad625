from datetime import datetime

from odoo.tests import tagged

from .common import ServicePortalHttpCase
from .fit import FitTourMixin

HOME_READY = ".o_portal_my_home:not(:has(.o_portal_doc_spinner))"


@tagged("post_install", "-at_install")
class TestPortalFitsScreen(FitTourMixin, ServicePortalHttpCase):
    """The customer's journey through service_portal's pages, at 375 and 1280 px: nothing
    scrolls sideways, no console error."""

    def test_customer_journey_fits_phone_and_laptop(self):
        user = self.manager_user
        user.password = user.login  # start_tour logs in with the login as password
        # a long description, a visit waiting for the answer to a reschedule request
        self.north_order.description = (
            "<p>Half-yearly maintenance of the library boiler, the expansion vessel and "
            "the circulation pumps of the east wing</p>"
        )
        self.north_order.write(
            {
                "customer_request": "reschedule",
                "customer_request_date": datetime(2030, 1, 15, 13, 0),
            }
        )
        self.env["service.order"].create(
            {"partner_id": self.winslow.id, "description": "<p>No site for this one</p>"}
        )
        self.assert_pages_fit(
            user.login,
            [
                ("/my", HOME_READY),
                ("/my/sites", "main"),
                (f"/my/sites/{self.north.id}", "main"),
                (f"/my/sites/{self.north.id}?tab=install", "main"),
                ("/my/service-orders?filterby=all", "main .o_service_order_row"),
                ("/my/service-orders?filterby=all&groupby=site", "main .o_service_group"),
                (f"/my/service-orders/{self.north_order.id}", "#service_pending_request"),
                (f"/my/service-orders/{self.north_done_order.id}", "#service_signoff"),
                ("/my/equipment", "main"),
                (f"/my/equipment/{self.north_equipment.id}", "main"),
                ("/my/documents", "main"),
                ("/my/notifications", "main"),
                ("/my/account", "main form"),
            ],
        )
