from odoo import Command, fields
from odoo.tests import tagged

from .a11y import AxeTourMixin
from .common import ServicePortalHttpCase, setup_arrival_windows


@tagged("post_install", "-at_install")
class TestArrivalAccessibility(AxeTourMixin, ServicePortalHttpCase):
    """WCAG 2.1 A/AA (axe-core) on the pages with the arrival-window picker and the
    "on the way" banner, at 375 and 1280 px."""

    def test_window_picker_and_on_the_way_pages(self):
        tech = setup_arrival_windows(self.env)
        Order = self.env["service.order"]
        draft = Order.create({"partner_id": self.winslow.id, "site_id": self.north.id})
        coming = Order.create(
            {
                "partner_id": self.winslow.id,
                "site_id": self.north.id,
                "technician_ids": [Command.set(tech.ids)],
                "date_start": fields.Datetime.now(),
                "state": "scheduled",
            }
        )
        coming._service_on_my_way(20)
        self.north_user.password = self.north_user.login
        self.assert_pages_accessible(
            self.north_user.login,
            [
                (f"/my/service-orders/{draft.id}", "#service_arrival_picker"),
                (f"/my/service-orders/{coming.id}", "#service_on_my_way"),
                (f"/my/equipment/{self.north_equipment.id}", "#service_arrival_picker"),
                (f"/my/sites/{self.north.id}", "#service_site_request"),
            ],
        )
