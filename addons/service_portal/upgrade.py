"""Helpers of the addons' migration scripts (migrations/<version>/*.py)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def reset_uncustomised_mail_templates(env, module):
    """Bring the mail templates that ``module`` ships with noupdate="1" to the text of
    its data file, unless they were changed in the database.

    noupdate records are never rewritten by a module update: without this, a database
    installed earlier keeps sending the old text (e.g. without the accessibility
    attributes added since). A template counts as customised when it was saved since it
    was created (write_date later than create_date), or when it has translations (the
    addons ship none): those are left alone and logged. A reset template keeps
    write_date = create_date, so that the next release can reset it again.
    """
    data = env["ir.model.data"].search([("module", "=", module), ("model", "=", "mail.template")])
    templates = env["mail.template"].browse(data.mapped("res_id")).exists()
    for template in templates:
        env.cr.execute(
            SQL(
                "SELECT write_date > create_date, EXISTS(SELECT FROM jsonb_object_keys("
                "body_html) lang WHERE lang != 'en_US') FROM mail_template WHERE id = %s",
                template.id,
            )
        )
        saved_since, translated = env.cr.fetchone()
        xmlid = template.get_external_id()[template.id]
        if saved_since or translated or not template.template_fs:
            _logger.info("Mail template %s is customised: left as it is.", xmlid)
            continue
        ratings = env["rating.rating"] if "rating.rating" in env else None
        last_rating = ratings.search([], order="id desc", limit=1).id if ratings else 0
        template.reset_template()
        env.flush_all()
        if ratings is not None:
            # Saving a template renders it on some record (mail's _check_can_be_rendered):
            # a rating request's text asks that record for a rating token, which creates
            # a rating nobody asked for.
            ratings.search([("id", ">", last_rating), ("consumed", "=", False)]).unlink()
        env.cr.execute(
            SQL("UPDATE mail_template SET write_date = create_date WHERE id = %s", template.id)
        )
        template.invalidate_recordset(["write_date"])
        _logger.info("Mail template %s reset to its data file.", xmlid)
