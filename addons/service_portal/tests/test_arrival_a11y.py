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
        # the windows come when the customer opens the form: their link, the details' summary
        see_windows = [{"trigger": ".o_service_arrival_load", "run": "click"}]
        open_request = [{"trigger": "#service_site_request summary", "run": "click"}]
        self.assert_pages_accessible(
            self.north_user.login,
            [
                (f"/my/service-orders/{draft.id}", "#service_arrival_picker", see_windows),
                (f"/my/service-orders/{coming.id}", "#service_on_my_way"),
                (
                    f"/my/equipment/{self.north_equipment.id}",
                    "#service_arrival_picker",
                    see_windows,
                ),
                (f"/my/sites/{self.north.id}", "#service_site_request"),
                (f"/my/sites/{self.north.id}", "#service_arrival_picker", open_request),
            ],
        )
