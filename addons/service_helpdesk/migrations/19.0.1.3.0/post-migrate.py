"""Ratings given before 19.0.1.3.0 were a selection field of the request; they become
Odoo ratings (rating.rating), so that nothing a customer said is lost. The followers of
existing requests get the new subtypes that new followers get by default, and the
Completed stage asks for ratings as on a new database (its data is not updated)."""

from odoo import api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    _subscribe_followers_to_new_subtypes(env)
    _ask_ratings_on_completion(env)
    _convert_old_ratings(env)


def _ask_ratings_on_completion(env):
    stage = env.ref("service_helpdesk.stage_completed", raise_if_not_found=False)
    if stage and not stage.rating_template_id:
        stage.rating_template_id = env.ref("service_helpdesk.mail_template_ticket_rating_request")


def _subscribe_followers_to_new_subtypes(env):
    """Those who follow a request's messages hear of its status changes; its staff
    followers of the customer's ratings too."""
    comment = env.ref("mail.mt_comment")
    status = env.ref("service_helpdesk.mt_ticket_status")
    rating = env.ref("service_helpdesk.mt_ticket_rating")
    followers = env["mail.followers"].search(
        [("res_model", "=", "service.ticket"), ("subtype_ids", "in", comment.ids)]
    )
    followers.write({"subtype_ids": [(4, status.id)]})
    followers.filtered(lambda follower: not follower.partner_id.partner_share).write(
        {"subtype_ids": [(4, rating.id)]}
    )


def _convert_old_ratings(env):
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'service_ticket' AND column_name = 'rating'"
        )
    )
    if not cr.fetchone():
        return
    cr.execute(
        SQL(
            # rated when the rating was tracked in the chatter (the field is still known
            # until the end of the upgrade), else when the request was last written
            """
            SELECT ticket.id, ticket.rating, ticket.rating_comment,
                   COALESCE(
                       (SELECT MAX(tracking.create_date)
                          FROM mail_tracking_value tracking
                          JOIN mail_message message ON message.id = tracking.mail_message_id
                          JOIN ir_model_fields field ON field.id = tracking.field_id
                         WHERE field.model = 'service.ticket' AND field.name = 'rating'
                           AND message.model = 'service.ticket' AND message.res_id = ticket.id),
                       ticket.write_date
                   )
              FROM service_ticket ticket
             WHERE ticket.rating IS NOT NULL
             ORDER BY ticket.id
            """
        )
    )
    old_ratings = cr.fetchall()
    if old_ratings:
        tickets = env["service.ticket"].browse([row[0] for row in old_ratings])
        model_id = env["ir.model"]._get_id("service.ticket")
        ratings = env["rating.rating"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "partner_id": ticket._rating_get_partner().id,
                    "rated_partner_id": ticket._rating_get_operator().id,
                    "rating": float(rate),
                    "feedback": comment or False,
                    "consumed": True,
                    "is_internal": False,
                }
                for ticket, (_id, rate, comment, _rated_on) in zip(
                    tickets, old_ratings, strict=True
                )
            ]
        )
        for ticket, rating in zip(tickets, ratings, strict=True):
            if ticket.state == "completed":
                ticket.completion_rating_id = rating
        # the stored statistics were computed when the column was added, before these ratings
        env.flush_all()
        tickets._compute_rating_last_value()
        env.flush_all()
        # rated when the rating was given, not at the upgrade
        cr.execute(
            SQL(
                "UPDATE rating_rating SET rated_on = old.rated_on, write_date = old.rated_on"
                "  FROM (VALUES %s) AS old (id, rated_on)"
                " WHERE rating_rating.id = old.id",
                SQL(", ").join(
                    SQL("(%s, %s::timestamp)", rating.id, row[3])
                    for rating, row in zip(ratings, old_ratings, strict=True)
                ),
            )
        )
    cr.execute(SQL("ALTER TABLE service_ticket DROP COLUMN rating, DROP COLUMN rating_comment"))
