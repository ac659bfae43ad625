from odoo.addons.service_portal.tests.fit import FitTourMixin
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestLicensingFitsScreen(FitTourMixin, LicensingCommon, HttpCase):
    """Purchases, technicians, admins and the technician's workspace at 375 and 1280 px:
    nothing scrolls sideways, no console error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()

    def test_admin_pages_fit_phone_and_laptop(self):
        login = self._persona(self.manager_user)
        self.assert_pages_fit(
            login,
            [
                ("/my/purchases", "main"),
                ("/my/technicians", "main"),
                ("/my/admins", "main"),
            ],
        )

    def test_technician_pages_fit_phone_and_laptop(self):
        login = self._persona(self.terry)
        order = self.north_order
        self.assert_pages_fit(login, [("/my/work", "main"), (f"/my/work/{order.id}", "main")])

    def test_technician_edit_form_is_usable_phone_and_laptop(self):
        """The inline edit form of a technician opens in the list's last column: its fields
        keep a usable width (they were crushed to 80px on a laptop) and are shown whole."""
        login = self._persona(self.manager_user)
        manager = self.manager_user
        subscription = self.winslow_subscription
        subscription.product_id.name = "Technician licence, monthly, with priority support"
        # a full list: long names and addresses leave the last column its narrowest
        for name, email in (
            ("Maximiliane Vandenberghe-Oosterhuis", "maximiliane.vandenberghe@winslow.example"),
            ("Bartholomew Fitzgerald-Worthington", "bartholomew.fitzgerald@winslow.example"),
        ):
            subscription.with_user(manager)._allocate_license({"name": name, "email": email})
        row = "tr.o_service_license:contains(Terry Tech)"
        self.assert_pages_fit(
            login,
            [
                {
                    "url": "/my/technicians",
                    "ready": f"{row} details[open] form",
                    "steps": [
                        {
                            "content": "Open Terry's edit form",
                            "trigger": f"{row} summary:contains(Edit)",
                            "run": "click",
                        }
                    ],
                    "form": f"{row} details[open] form",
                }
            ],
        )

    def test_purchase_change_form_is_shown_whole_phone_and_laptop(self):
        """The form that asks to cancel a subscription or keep fewer licences opens in the
        list's last column: shown whole at 1280 px (it was cut off), its fields usable."""
        login = self._persona(self.manager_user)
        subscription = self.winslow_subscription
        subscription.product_id.name = "Technician licence, monthly, with priority support"
        subscription.copy(
            {
                "stripe_subscription_id": "sub_fit_on_account",
                "payment_mode": "on_account",
                "quantity": 12,
            }
        )
        row = "tr.o_service_subscription:has(details.o_service_change):first"
        self.assert_pages_fit(
            login,
            [
                {
                    "url": "/my/purchases",
                    "ready": "details.o_service_change[open] form",
                    "steps": [
                        {
                            "content": "Open the cancellation form",
                            "trigger": f"{row} details.o_service_change summary",
                            "run": "click",
                        }
                    ],
                    "form": "details.o_service_change[open] form",
                }
            ],
        )
