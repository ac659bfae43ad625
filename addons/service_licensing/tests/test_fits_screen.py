from odoo.addons.service_portal.tests.fit import FitTourMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLicensingFitsScreen(FitTourMixin, HttpCase):
    """Purchases, technicians, admins and the technician's workspace at 375 and 1280 px:
    nothing scrolls sideways, no console error."""

    def _persona(self, xmlid):
        user = self.env.ref(xmlid)
        user.password = user.login  # start_tour logs in with the login as password
        return user.login

    def test_admin_pages_fit_phone_and_laptop(self):
        login = self._persona("service_portal.user_winslow_manager")
        self.assert_pages_fit(
            login,
            [
                ("/my/purchases", "main"),
                ("/my/technicians", "main"),
                ("/my/admins", "main"),
            ],
        )

    def test_technician_pages_fit_phone_and_laptop(self):
        login = self._persona("service_licensing.user_technician_terry")
        order = self.env.ref("service_portal.order_north_boiler_upcoming")
        self.assert_pages_fit(login, [("/my/work", "main"), (f"/my/work/{order.id}", "main")])
