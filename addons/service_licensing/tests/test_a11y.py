from odoo.addons.service_portal.tests.a11y import AxeTourMixin
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestLicensingAccessibility(AxeTourMixin, LicensingCommon, HttpCase):
    """WCAG 2.1 A/AA (axe-core) on the purchases, technicians, admins pages and the
    technician's workspace, per persona, at 375 and 1280 px."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()

    def _admin_pages(self):
        return [
            ("/my/purchases", "main"),
            ("/my/technicians", "main"),
            ("/my/admins", "main"),
        ]

    def test_company_contact_pages(self):
        login = self._persona(self.manager_user)
        self.assert_pages_accessible(login, self._admin_pages())

    def test_other_customer_pages(self):
        login = self._persona(self.parkway_user)
        self.assert_pages_accessible(login, self._admin_pages())

    def test_technician_pages(self):
        login = self._persona(self.terry)
        order = self.north_order
        self.assert_pages_accessible(
            login,
            [
                ("/my", "main"),
                ("/my/work", "main"),
                (f"/my/work/{order.id}", "main"),
                ("/my/account", "main form"),
                ("/my/notifications", "main"),
            ],
        )

    def test_long_words_reflow(self):
        """Technicians' names and addresses longer than a phone is wide wrap or scroll
        inside their table at 320 px: the page does not scroll sideways."""
        word = "Kesselwartungsvertragsverlaengerungsbestaetigung" * 2
        license_ = self.terry_licence
        license_.name = f"Terry {word}"
        license_.email = f"{word}@winslow.example"
        login = self._persona(self.manager_user)
        self.assert_pages_accessible(login, self._admin_pages())

    def test_on_account_review_page(self):
        """The review shown before an annual plan is bought on account (a page answering a
        form, so reached by submitting it)."""
        login = self._persona(self.manager_user)
        self.assert_pages_accessible(
            login,
            [
                (
                    "/my/purchases",
                    "#service_on_account_review",
                    [
                        {
                            "trigger": "button[formaction='/my/purchases/buy_on_account']",
                            "run": "click",
                            "expectUnloadPage": True,
                        },
                    ],
                ),
            ],
        )
