from odoo.tests import tagged

from .a11y import AxeTourMixin
from .common import ServicePortalHttpCase

HOME_READY = ".o_portal_my_home:not(:has(.o_portal_doc_spinner))"


@tagged("post_install", "-at_install")
class TestPortalAccessibility(AxeTourMixin, ServicePortalHttpCase):
    """WCAG 2.1 A/AA (axe-core) on service_portal's pages, per persona, at 375 and 1280 px."""

    def _customer_pages(self, user, site, order, equipment, order_ready="main"):
        user.password = user.login  # start_tour logs in with the login as password
        return [
            ("/my", HOME_READY),
            ("/my/sites", "main"),
            (f"/my/sites/{site.id}", "main"),
            ("/my/service-orders?filterby=all", "main"),
            (f"/my/service-orders/{order.id}", order_ready),
            ("/my/equipment", "main"),
            (f"/my/equipment/{equipment.id}", "main"),
            ("/my/documents", "main"),
            ("/my/account", "main form"),
            ("/my/notifications", "main"),
        ]

    def test_company_contact_pages(self):
        # the order is done and not signed off yet: its sign-off form, typed name first
        pages = self._customer_pages(
            self.manager_user,
            self.north,
            self.north_done_order,
            self.north_equipment,
            order_ready="#service_signoff .o_web_sign_auto_button.active",
        )
        self.assert_pages_accessible(self.manager_user.login, pages)

    def test_site_contact_pages(self):
        pages = self._customer_pages(
            self.north_user, self.north, self.north_order, self.north_equipment
        )
        self.assert_pages_accessible(self.north_user.login, pages)

    def test_other_customer_pages(self):
        pages = self._customer_pages(
            self.parkway_user, self.parkway_site, self.parkway_order, self.parkway_equipment
        )
        self.assert_pages_accessible(self.parkway_user.login, pages)

    def test_visitor_pages(self):
        self.assert_pages_accessible(
            None, [("/web/login", "form.oe_login_form"), ("/portal/register", "main form")]
        )

    def test_long_words_reflow(self):
        """Real data has words longer than a phone is wide (references, file names,
        addresses): at 320 px they wrap, the page does not scroll sideways."""
        word = "Kesselwartungsvertragsverlaengerungsbestaetigung" * 2
        self.north.name = f"North {word}"
        self.north_equipment.name = f"Boiler {word}"
        self.north_document.name = f"{word}.pdf"
        self.north_order.name = f"SO/{word}"
        self.north_user.password = self.north_user.login
        self.assert_pages_accessible(
            self.north_user.login,
            [
                ("/my/sites", "main"),
                (f"/my/sites/{self.north.id}", "main"),
                ("/my/service-orders?filterby=all", "main"),
                (f"/my/service-orders/{self.north_order.id}", "main"),
                (f"/my/equipment/{self.north_equipment.id}", "main"),
                ("/my/documents", "main"),
            ],
        )
