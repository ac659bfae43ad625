"""Moving contacts clears the registry's caches (every worker of every node drops them)
only when a portal user's record rules change, not on every contact move."""

from odoo.tests import TransactionCase, tagged

from .common import ServicePortalCommon


class RuleCacheMixin:
    def _clears_caches(self, func):
        """Whether func cleared the registry's default cache (signalled to other workers)."""
        self.registry.cache_invalidated.discard("default")
        func()
        return "default" in self.registry.cache_invalidated

    def _visible_orders(self, user):
        return self.env["service.order"].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestRuleCache(RuleCacheMixin, ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()
        Partner = cls.env["res.partner"]
        cls.contacts = Partner.create(
            [{"name": f"Contact {index}", "parent_id": cls.winslow.id} for index in range(20)]
        )

    def test_moving_contacts_without_portal_users_keeps_the_caches(self):
        self.assertFalse(
            self._clears_caches(lambda: self.contacts.write({"parent_id": self.parkway.id}))
        )
        self.assertFalse(
            self._clears_caches(lambda: self.contacts[:5].write({"parent_id": self.north.id}))
        )
        self.assertFalse(self._clears_caches(lambda: self.contacts.write({"is_company": True})))
        self.assertEqual(self.contacts[0].commercial_partner_id, self.contacts[0])

    def test_a_write_that_keeps_a_portal_users_scope_keeps_the_caches(self):
        partner = self.north_user.partner_id
        self.assertFalse(self._clears_caches(lambda: partner.write({"parent_id": self.north.id})))
        # the site itself is renamed, or its parent written with the same value
        self.assertFalse(
            self._clears_caches(lambda: self.north.write({"parent_id": self.winslow.id}))
        )

    def test_moving_a_portal_user_clears_them_and_the_rules_follow(self):
        partner = self.north_user.partner_id
        self.assertIn(self.north_order, self._visible_orders(self.north_user))
        self.assertNotIn(self.south_order, self._visible_orders(self.north_user))
        self.assertTrue(self._clears_caches(lambda: partner.write({"parent_id": self.south.id})))
        visible = self._visible_orders(self.north_user)
        self.assertIn(self.south_order, visible)
        self.assertNotIn(self.north_order, visible)

    def test_a_site_that_stops_being_one_widens_its_contacts_scope(self):
        self.assertNotIn(self.south_order, self._visible_orders(self.north_user))
        self.assertTrue(
            self._clears_caches(lambda: self.north.write({"service_is_job_site": False}))
        )
        self.assertIn(self.south_order, self._visible_orders(self.north_user))
