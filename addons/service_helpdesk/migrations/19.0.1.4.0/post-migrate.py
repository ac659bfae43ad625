"""Since 19.0.1.4.0 support requests get their portal access token when they are created,
so that the read-only portal pages (readonly=True routes, served by a PostgreSQL replica
when there is one) never write one: give the existing requests theirs."""


def migrate(cr, version):
    cr.execute(
        "UPDATE service_ticket SET access_token = gen_random_uuid()::text"
        " WHERE access_token IS NULL"
    )
