"""The contact tree's materialized path (res.partner ``parent_path``): the portal's
``child_of`` reads it in the query itself, whatever the depth of the tree, and it follows
every way a contact moves (the ORM, a merge of contacts, the upgrade that adds it)."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import ServicePortalCommon
from .test_rule_cache import RuleCacheMixin

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.4.0" / "pre-migrate.py"


@tagged("post_install", "-at_install")
class TestPartnerTree(RuleCacheMixin, ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()
        cls.annex = cls.env["res.partner"].create(
            {"name": "Winslow Annex", "parent_id": cls.winslow.id, "service_is_job_site": True}
        )
        cls.annex_order = cls.env["service.order"].create(
            {"partner_id": cls.winslow.id, "site_id": cls.annex.id, "kind": "service"}
        )

    def _wrong_paths(self):
        """Partners whose stored path is not the one their parents give."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """WITH RECURSIVE tree(id, path) AS (
                        SELECT id, concat(id, '/') FROM res_partner WHERE parent_id IS NULL
                        UNION
                        SELECT child.id, concat(tree.path, child.id, '/')
                          FROM res_partner child JOIN tree ON child.parent_id = tree.id)
                   SELECT partner.id FROM res_partner partner LEFT JOIN tree USING (id)
                    WHERE partner.parent_path IS DISTINCT FROM tree.path"""
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_a_site_moved_to_another_customer_moves_its_records_at_once(self):
        self.assertIn(self.annex_order, self._visible_orders(self.manager_user))
        self.assertNotIn(self.annex_order, self._visible_orders(self.parkway_user))
        # no portal user's own scope changes: the cached rules stay, and still follow
        self.assertFalse(
            self._clears_caches(lambda: self.annex.write({"parent_id": self.parkway.id}))
        )
        self.assertNotIn(self.annex_order, self._visible_orders(self.manager_user))
        self.assertIn(self.annex_order, self._visible_orders(self.parkway_user))
        self.assertFalse(self._wrong_paths())

    def test_a_new_or_moved_job_site_stays_hidden_from_the_other_sites_contacts(self):
        Partner = self.env["res.partner"].with_user(self.north_user)
        self.assertFalse(Partner.search([("id", "=", self.south.id)]))
        self.assertTrue(
            self._clears_caches(
                lambda: self.env["res.partner"].create(
                    {
                        "name": "Winslow East",
                        "parent_id": self.winslow.id,
                        "service_is_job_site": True,
                    }
                )
            )
        )
        east = self.env["res.partner"].search([("name", "=", "Winslow East")])
        self.assertFalse(Partner.search([("id", "=", east.id)]))
        self.assertTrue(
            self._clears_caches(lambda: self.parkway_site.write({"parent_id": self.winslow.id}))
        )
        self.assertFalse(Partner.search([("id", "=", self.parkway_site.id)]))
        # a site of a customer without narrowed users: nothing to clear
        self.assertFalse(
            self._clears_caches(
                lambda: self.env["res.partner"].create(
                    {
                        "name": "Parkway Uptown",
                        "parent_id": self.parkway.id,
                        "service_is_job_site": True,
                    }
                )
            )
        )

    def test_the_paths_follow_moves_of_whole_branches(self):
        Partner = self.env["res.partner"]
        contact = Partner.create({"name": "Annex Contact", "parent_id": self.annex.id})
        address = Partner.create(
            {"name": "Annex Dock", "parent_id": contact.id, "type": "delivery"}
        )
        self.annex.parent_id = self.parkway
        self.assertEqual(
            address.parent_path,
            f"{self.parkway.parent_path}{self.annex.id}/{contact.id}/{address.id}/",
        )
        contact.parent_id = False
        self.assertEqual(address.parent_path, f"{contact.id}/{address.id}/")
        self.assertFalse(self._wrong_paths())

    def test_a_merge_of_customers_brings_their_contacts_under_the_one_kept(self):
        Partner = self.env["res.partner"]
        duplicate = Partner.create({"name": "Winslow Ltd (duplicate)", "is_company": True})
        site = Partner.create(
            {"name": "Winslow Depot", "parent_id": duplicate.id, "service_is_job_site": True}
        )
        order = self.env["service.order"].create(
            {"partner_id": duplicate.id, "site_id": site.id, "kind": "service"}
        )
        self.assertNotIn(order, self._visible_orders(self.manager_user))
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((duplicate | self.winslow).ids, self.winslow, extra_checks=False)
        self.assertEqual(site.parent_id, self.winslow)
        self.assertFalse(self._wrong_paths())
        self.assertIn(order, self._visible_orders(self.manager_user))

    def test_the_rules_cost_no_query_per_level_of_the_tree(self):
        def queries():
            self._visible_orders(self.manager_user)  # the rules are cached, as in a worker
            self.env.invalidate_all()
            with self.assertQueryCount(2) as counter:  # the user's partner, the search
                self._visible_orders(self.manager_user)
            return counter

        queries()
        parent = self.north
        for level in range(6):
            parent = self.env["res.partner"].create(
                {"name": f"Level {level}", "parent_id": parent.id}
            )
        queries()

    def test_the_upgrade_fills_the_paths_in_sql(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT id, parent_path FROM res_partner ORDER BY id")
        paths = self.env.cr.fetchall()
        self.env.cr.execute("ALTER TABLE res_partner DROP COLUMN parent_path")
        spec = importlib.util.spec_from_file_location("service_portal_pre_migrate", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.env.cr.execute("SELECT id, parent_path FROM res_partner ORDER BY id")
        self.assertEqual(self.env.cr.fetchall(), paths)
