from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import HelpdeskCommon


@tagged("post_install", "-at_install")
class TestTicketAccess(HelpdeskCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _visible_demo_tickets(self, user):
        demo = self.north_ticket | self.south_ticket | self.parkway_ticket
        return self.env["service.ticket"].with_user(user).search([("id", "in", demo.ids)])

    def test_reference_comes_from_the_sequence(self):
        self.assertTrue(self.north_ticket.name.startswith("REQ/"))

    def test_company_contact_sees_every_site(self):
        self.assertEqual(
            self._visible_demo_tickets(self.manager_user), self.north_ticket | self.south_ticket
        )

    def test_site_contact_sees_only_its_site(self):
        self.assertEqual(self._visible_demo_tickets(self.north_user), self.north_ticket)
        with self.assertRaises(AccessError):
            self.south_ticket.with_user(self.north_user).read(["subject"])

    def test_other_customer_sees_none_of_the_first(self):
        self.assertEqual(self._visible_demo_tickets(self.parkway_user), self.parkway_ticket)
        with self.assertRaises(AccessError):
            self.north_ticket.with_user(self.parkway_user).read(["subject"])

    def test_portal_contacts_cannot_write(self):
        with self.assertRaises(AccessError):
            self.north_ticket.with_user(self.north_user).write({"state": "completed"})
