import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

ADDONS = Path(__file__).parents[2]
MIGRATIONS = {
    "service_portal": ADDONS / "service_portal/migrations/19.0.1.1.1/post-migrate.py",
    "service_helpdesk": ADDONS / "service_helpdesk/migrations/19.0.1.4.1/post-migrate.py",
}


@tagged("post_install", "-at_install")
class TestMailTemplateMigration(TransactionCase):
    """The emails' templates are noupdate: a database installed before the accessibility
    changes gets the new text from the migration, except where someone changed it."""

    def _migrate(self, module):
        spec = importlib.util.spec_from_file_location(f"{module}_post_migrate", MIGRATIONS[module])
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

    def _make_old(self, template, body):
        """As an older release left it: another text, never saved since its creation."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s::text), "
                "write_date = create_date WHERE id = %s",
                body,
                template.id,
            )
        )
        self.env.invalidate_all()

    def _row(self, template):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT body_html->>'en_US', write_date = create_date FROM mail_template "
                "WHERE id = %s",
                template.id,
            )
        )
        return self.env.cr.fetchone()

    def test_uncustomised_templates_get_the_new_text(self):
        for module, xmlid in (
            ("service_portal", "service_portal.mail_template_registration_verify"),
            ("service_helpdesk", "service_helpdesk.mail_template_ticket_rating_request"),
        ):
            with self.subTest(template=xmlid):
                template = self.env.ref(xmlid)
                shipped, untouched = self._row(template)
                self.assertTrue(untouched, "installed and never saved")
                self.assertIn("lang=", shipped)
                self._make_old(template, '<div style="margin: 0px"><p>Old text</p></div>')
                # no token to reuse: rendering the rating request would make one
                self.env["rating.rating"].search([("consumed", "=", False)]).unlink()
                ratings = self.env["rating.rating"].search([])
                self._migrate(module)
                self.assertEqual(
                    self.env["rating.rating"].search([]), ratings, "no rating left behind"
                )
                body, untouched = self._row(template)
                self.assertEqual(body, shipped, "the data file's text")
                self.assertTrue(untouched, "still counts as not customised")

    def test_customised_templates_are_left_alone(self):
        saved = self.env.ref("service_portal.mail_template_order_completed")
        saved.body_html = "<p>Our own words, written in the back office.</p>"
        translated = self.env.ref("service_portal.mail_template_visit_reminder")
        self._make_old(translated, "<p>Old text</p>")
        self.env.cr.execute(
            SQL(
                "UPDATE mail_template SET body_html = body_html || jsonb_build_object("
                "'fr_FR', '<p>Notre texte</p>') WHERE id = %s",
                translated.id,
            )
        )
        self._migrate("service_portal")
        self.assertEqual(self._row(saved)[0], "<p>Our own words, written in the back office.</p>")
        self.assertEqual(self._row(translated)[0], "<p>Old text</p>")
