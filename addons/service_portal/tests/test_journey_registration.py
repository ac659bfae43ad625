"""Journey: a new customer registers, verifies the email and makes a first request, in
Chromium at 375 and 1280 px; every page fits the screen, no console error."""

from odoo.tests import tagged

from . import test_registration
from .common import ServicePortalHttpCase
from .journeys import JourneyTourMixin

EMAIL = "rhea.journey@winslow.example"


@tagged("post_install", "-at_install")
class TestRegistrationJourney(JourneyTourMixin, ServicePortalHttpCase):
    # the registration tests' helpers, not their tests
    _verification_link = test_registration.TestRegistration._verification_link
    _mails_to = staticmethod(test_registration.TestRegistration._mails_to)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a contact the service company already knows: linked at once once verified
        cls.rhea = cls.env["res.partner"].create(
            {"name": "Rhea J.", "email": EMAIL, "parent_id": cls.winslow.id}
        )

    def _journey(self, width):
        Order = self.env["service.order"]
        before = Order.search([])
        self.journey_tour("/web/login", "service_journey_register", None, width)
        registration = self.env["service.portal.registration"].search([("email", "=", EMAIL)])
        self.assertEqual(registration.state, "pending")
        self.assertFalse(self.rhea.user_ids, "nothing is usable before the email is verified")

        # between the two: the link of the email, read from the database
        link = self._verification_link(EMAIL)
        self.journey_tour(link, "service_journey_first_request", None, width)
        self.env.invalidate_all()
        self.assertEqual(registration.state, "linked")
        self.assertTrue(self.rhea.user_ids._is_portal())
        order = Order.search([]) - before
        self.assertEqual(len(order), 1)
        self.assertEqual(order.equipment_id, self.north_equipment)
        self.assertEqual(order.state, "draft")
        self.assertIn("loses pressure every morning", order.description)

    def test_registration_to_first_request_phone(self):
        self._journey("phone")

    def test_registration_to_first_request_desktop(self):
        self._journey("desktop")
