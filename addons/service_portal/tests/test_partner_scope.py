from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import DEMO_TAG, ServicePortalCase


@tagged("post_install", "-at_install")
class TestPartnerScope(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Acme Facilities", "is_company": True})
        cls.site = Partner.create(
            {
                "name": "Acme Depot",
                "parent_id": cls.customer.id,
                "service_is_job_site": True,
                "type": "other",
            }
        )
        cls.company_contact = Partner.create(
            {"name": "Carla Company", "parent_id": cls.customer.id}
        )
        cls.site_contact = Partner.create({"name": "Simon Site", "parent_id": cls.site.id})

    def test_company_contact_sees_the_whole_customer(self):
        self.assertEqual(self.company_contact.service_scope_partner_id, self.customer)
        self.assertEqual(self.company_contact.service_customer_id, self.customer)

    def test_site_contact_is_limited_to_its_site(self):
        self.assertEqual(self.site_contact.service_scope_partner_id, self.site)
        self.assertEqual(self.site_contact.service_customer_id, self.customer)
        self.assertEqual(self.site.service_scope_partner_id, self.site)

    def test_site_that_is_a_company_keeps_its_customer(self):
        company_site = self.env["res.partner"].create(
            {
                "name": "Acme Plant",
                "parent_id": self.customer.id,
                "service_is_job_site": True,
                "is_company": True,
            }
        )
        plant_contact = self.env["res.partner"].create(
            {"name": "Pat Plant", "parent_id": company_site.id}
        )
        self.assertEqual(plant_contact.service_scope_partner_id, company_site)
        self.assertEqual(plant_contact.service_customer_id, self.customer)

    def test_job_site_needs_a_customer(self):
        with self.assertRaisesRegex(ValidationError, "must belong to a customer"):
            self.env["res.partner"].create({"name": "Orphan Site", "service_is_job_site": True})

    def test_job_site_count_on_customer(self):
        self.assertEqual(self.customer.service_job_site_count, 1)
        action = self.customer.action_view_job_sites()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.site)


@tagged("post_install", "-at_install")
class TestSharedBaseScope(ServicePortalCase):
    def test_base_customers_are_set_up_for_access_checks(self):
        """The shared test base has the access levels the tests rely on."""
        self.assertEqual(self.north_user.partner_id.service_scope_partner_id, self.north)
        self.assertEqual(self.manager_user.partner_id.service_scope_partner_id, self.winslow)
        self.assertEqual(self.winslow.service_job_site_count, 2)
        self.assertNotEqual(self.parkway_user.partner_id.service_customer_id, self.winslow)
        for user in self.north_user | self.manager_user | self.parkway_user:
            self.assertTrue(user._is_portal(), f"{user.login} must be a portal user")
        self.assertTrue(self.waiting_user._service_portal_is_waiting())
        self.assertFalse(self.manager_user._service_portal_is_waiting())
        self.assertTrue(self.service_user.has_group("service_portal.group_service_user"))
        self.assertFalse(self.service_user.has_group("service_portal.group_service_manager"))
        self.assertTrue(self.service_manager.has_group("service_portal.group_service_manager"))


@tagged("post_install", "-at_install", DEMO_TAG)
class TestDemoScope(TransactionCase):
    def test_demo_customers_are_set_up_for_access_checks(self):
        north_user = self.env.ref("service_portal.user_winslow_north")
        manager_user = self.env.ref("service_portal.user_winslow_manager")
        parkway_user = self.env.ref("service_portal.user_parkway_owner")
        winslow = self.env.ref("service_portal.partner_winslow")
        self.assertEqual(
            north_user.partner_id.service_scope_partner_id,
            self.env.ref("service_portal.site_winslow_north"),
        )
        self.assertEqual(manager_user.partner_id.service_scope_partner_id, winslow)
        self.assertEqual(winslow.service_job_site_count, 2)
        self.assertNotEqual(parkway_user.partner_id.service_customer_id, winslow)
        for user in north_user | manager_user | parkway_user:
            self.assertTrue(user._is_portal(), f"{user.login} must be a portal user")
