import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import HelpdeskCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.3.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestRatingMigration(HelpdeskCommon, TransactionCase):
    """A database upgraded from 19.0.1.2.0 keeps the ratings its customers gave: the old
    selection column becomes Odoo ratings. (Checked by hand on a real upgrade as well; here
    the old columns are recreated in the test transaction.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _migrate(self):
        spec = importlib.util.spec_from_file_location("service_helpdesk_post_migrate", MIGRATION)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.2.0")

    def test_old_ratings_become_odoo_ratings(self):
        completed = self.completed_ticket
        reopened = self.north_ticket
        unrated = self.parkway_ticket
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "ALTER TABLE service_ticket ADD COLUMN rating varchar, "
                "ADD COLUMN rating_comment text"
            )
        )
        cr.execute(
            SQL(
                "UPDATE service_ticket SET rating = %s, rating_comment = %s, write_date = %s "
                "WHERE id = %s",
                "2",
                "Took three visits",
                "2026-10-01 09:00:00",
                completed.id,
            )
        )
        cr.execute(SQL("UPDATE service_ticket SET rating = '5' WHERE id = %s", reopened.id))
        self._migrate()
        self.env.invalidate_all()

        rating = completed.completion_rating_id
        self.assertEqual(rating.rating, 2)
        self.assertEqual(rating.feedback, "Took three visits")
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.partner_id, completed.requester_id)
        self.assertEqual(str(rating.rated_on), "2026-10-01 09:00:00")
        self.assertEqual(completed.rating_last_value, 2)
        # an open request keeps its rating in its history, not as the current one
        self.assertFalse(reopened.completion_rating_id)
        self.assertEqual(reopened.rating_ids.filtered("consumed").mapped("rating"), [5])
        self.assertFalse(unrated.rating_ids)
        cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'service_ticket' AND column_name IN ('rating', 'rating_comment')"
            )
        )
        self.assertFalse(cr.fetchall())

    def test_followers_of_existing_requests_get_the_new_subtypes(self):
        ticket = self.north_ticket
        status = self.env.ref("service_helpdesk.mt_ticket_status")
        rating = self.env.ref("service_helpdesk.mt_ticket_rating")
        agent = self.env.ref("base.user_admin").partner_id
        ticket.message_subscribe(partner_ids=agent.ids)
        followers = ticket.message_follower_ids
        # as subscribed before the subtypes existed
        followers.write({"subtype_ids": [(3, status.id), (3, rating.id)]})
        customer_follower = followers.filtered(lambda f: f.partner_id == ticket.requester_id)
        agent_follower = followers.filtered(lambda f: f.partner_id == agent)
        self._migrate()
        self.assertIn(status, customer_follower.subtype_ids)
        self.assertNotIn(rating, customer_follower.subtype_ids)
        self.assertIn(status, agent_follower.subtype_ids)
        self.assertIn(rating, agent_follower.subtype_ids)

    def test_completed_stage_asks_for_ratings_after_the_upgrade(self):
        stage = self.env.ref("service_helpdesk.stage_completed")
        template = self.env.ref("service_helpdesk.mail_template_ticket_rating_request")
        stage.rating_template_id = False  # noupdate stage data of 19.0.1.2.0
        self._migrate()
        self.assertEqual(stage.rating_template_id, template)
        # an operator's own choice is kept
        other_template = template.copy()
        stage.rating_template_id = other_template
        self._migrate()
        self.assertEqual(stage.rating_template_id, other_template)

    def test_nothing_to_do_on_a_new_database(self):
        ratings = self.env["rating.rating"].search_count([])
        self._migrate()
        self.assertEqual(self.env["rating.rating"].search_count([]), ratings)
