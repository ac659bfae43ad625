"""The licensing rules read the organisation a portal user administers: granting or
removing the role clears the cached rules; other contacts' roles do not."""

from odoo.addons.service_portal.tests.test_rule_cache import RuleCacheMixin
from odoo.tests import TransactionCase, tagged

from .common import LicensingSetupMixin


@tagged("post_install", "-at_install")
class TestLicensingRuleCache(RuleCacheMixin, LicensingSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.plain_contact = cls.env["res.partner"].create(
            {"name": "No Login", "parent_id": cls.customer.id}
        )

    def _visible_subscriptions(self, user):
        return self.env["service.subscription"].with_user(user).search([])

    def test_granting_the_admin_role_clears_the_rules_and_they_follow(self):
        self.assertNotIn(self.subscription, self._visible_subscriptions(self.contact))
        partner = self.contact.partner_id
        self.assertTrue(
            self._clears_caches(lambda: partner.write({"service_admin_role": "secondary"}))
        )
        self.assertIn(self.subscription, self._visible_subscriptions(self.contact))
        self.assertTrue(self._clears_caches(lambda: partner.write({"service_admin_role": False})))
        self.assertNotIn(self.subscription, self._visible_subscriptions(self.contact))

    def test_roles_without_a_portal_user_or_unchanged_keep_the_caches(self):
        self.assertFalse(
            self._clears_caches(
                lambda: self.plain_contact.write({"service_admin_role": "secondary"})
            )
        )
        owner = self.owner.partner_id
        self.assertFalse(self._clears_caches(lambda: owner.write({"service_admin_role": "owner"})))

    def test_moving_an_admin_to_another_organisation_clears_the_rules(self):
        self.secondary.partner_id.service_admin_role = False
        partner = self.secondary.partner_id
        partner.write({"service_admin_role": "secondary"})
        self.assertIn(self.subscription, self._visible_subscriptions(self.secondary))
        self.assertTrue(
            self._clears_caches(
                lambda: partner.write(
                    {"parent_id": self.other_customer.id, "service_admin_role": False}
                )
            )
        )
        self.assertNotIn(self.subscription, self._visible_subscriptions(self.secondary))
