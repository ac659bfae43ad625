from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, is_html_empty

from .. import const


class ServiceKbArticle(models.Model):
    """A help desk article published on the website under /helpdesk.

    ``search_vector`` is a tsvector column that the ORM does not know: a trigger fills it
    from the title (weight A), the problem (B) and the solution (C), and a GIN index serves
    the full-text search of :meth:`_kb_search` (``service.kb.search.mixin``). The same trigger adds the article's words
    to ``service_kb_word``, the word list (with a trigram index) that corrects typos, and
    its lexemes (the words as the index has them, stemmed) to ``service_kb_lexeme``, which
    tells the known words and expands the prefix of search as you type.
    """

    _name = "service.kb.article"
    _description = "Knowledge Base Article"
    _inherit = ["website.published.mixin", "mail.thread", "service.kb.search.mixin"]
    _order = "sequence, id desc"

    # trigram: typo-tolerant title search (and Odoo creates its index with pg_trgm)
    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    problem = fields.Html()
    solution = fields.Html()
    category_id = fields.Many2one("service.kb.category", index=True)
    tag_ids = fields.Many2many("service.kb.tag", string="Tags")
    visibility = fields.Selection(
        [("public", "Everyone"), ("portal", "Portal contacts only")],
        default="public",
        required=True,
        tracking=True,
        help="Articles for portal contacts only are hidden from visitors who are not logged in.",
    )
    ticket_id = fields.Many2one(
        "service.ticket",
        string="Source Request",
        index="btree_not_null",
        ondelete="set null",
        groups="base.group_user",
    )
    view_count = fields.Integer(string="Views", readonly=True, copy=False, default=0)
    helpful_count = fields.Integer(string="Helpful", readonly=True, copy=False, default=0)
    unhelpful_count = fields.Integer(string="Not Helpful", readonly=True, copy=False, default=0)
    suggestion_open_count = fields.Integer(
        string="Opened from Suggestions",
        readonly=True,
        copy=False,
        default=0,
        help="How many times a customer opened this article from the suggestions of the new "
        "request form (once per article and browser session until a request is sent).",
    )
    deflection_count = fields.Integer(
        string="Resolved without Request",
        readonly=True,
        copy=False,
        default=0,
        help="Suggestion opens not followed by a request sent in the same browser session: "
        "counted when the article is opened, taken back when that session then sends a "
        "request.",
    )

    @api.depends("name")
    def _compute_website_url(self):
        slug = self.env["ir.http"]._slug
        for article in self:
            article.website_url = f"/helpdesk/{slug(article)}" if article.id else "#"

    def init(self):
        cr = self.env.cr
        # pg_trgm is trusted (PostgreSQL 13+): the database owner may create it. Odoo creates
        # it with the databases it creates itself, not with those made by createdb.
        cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        self.pool.has_trigram = True
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS service_kb_word (word varchar PRIMARY KEY);
                CREATE INDEX IF NOT EXISTS service_kb_word_trgm_idx
                    ON service_kb_word USING GIN (word gin_trgm_ops) WITH (fastupdate = off);
                """
            )
        )
        # Without fastupdate, new words go straight into the trigram index. With it (the
        # default, and what older databases have), they wait in a pending
        # list that only VACUUM empties, and PostgreSQL, costing a scan of that list, reads
        # the whole word list instead of the index: 50 ms or more per corrected word.
        cr.execute(
            SQL(
                """
                ALTER INDEX service_kb_word_trgm_idx SET (fastupdate = off);
                SELECT gin_clean_pending_list('service_kb_word_trgm_idx'::regclass);
                """
            )
        )
        # the lexemes of the full-text index, in byte order (prefixes are ranges)
        cr.execute(
            SQL(
                'CREATE TABLE IF NOT EXISTS service_kb_lexeme (lexeme text COLLATE "C" PRIMARY KEY)'
            )
        )
        cr.execute(
            SQL(
                """
                ALTER TABLE service_kb_article
                    ADD COLUMN IF NOT EXISTS search_vector tsvector,
                    ADD COLUMN IF NOT EXISTS title_vector tsvector
                """
            )
        )
        cr.execute(
            SQL(
                # the words of an article as typed (not stemmed: typos are corrected against
                # real words), letters only (codes are never corrected), no stop words
                """
                CREATE OR REPLACE FUNCTION service_kb_article_words(
                    name varchar, problem text, solution text) RETURNS SETOF text AS $$
                    SELECT DISTINCT word
                      FROM unnest(tsvector_to_array(to_tsvector('simple', regexp_replace(
                               coalesce(name, '') || ' ' || coalesce(problem, '') || ' '
                               || coalesce(solution, ''), '<[^>]*>', ' ', 'g')))) AS word
                     WHERE word ~ '^[[:alpha:]]{3,40}$'
                       AND to_tsvector(%(config)s::regconfig, word) <> ''::tsvector
                $$ LANGUAGE sql IMMUTABLE
                """,
                config=const.TS_CONFIG,
            )
        )
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION service_kb_article_search_vector() RETURNS trigger AS $$
                BEGIN
                    NEW.title_vector := to_tsvector(%(config)s::regconfig, coalesce(NEW.name, ''));
                    NEW.search_vector :=
                        setweight(NEW.title_vector, 'A')
                        || setweight(to_tsvector(%(config)s::regconfig, regexp_replace(
                            coalesce(NEW.problem, ''), '<[^>]*>', ' ', 'g')), 'B')
                        || setweight(to_tsvector(%(config)s::regconfig, regexp_replace(
                            coalesce(NEW.solution, ''), '<[^>]*>', ' ', 'g')), 'C');
                    INSERT INTO service_kb_word (word)
                         SELECT word FROM service_kb_article_words(
                             NEW.name, NEW.problem, NEW.solution) AS word
                    ON CONFLICT DO NOTHING;
                    INSERT INTO service_kb_lexeme (lexeme)
                         SELECT unnest(tsvector_to_array(NEW.search_vector))
                    ON CONFLICT DO NOTHING;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """,
                config=const.TS_CONFIG,
            )
        )
        cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS service_kb_article_search_vector_trg ON service_kb_article;
                CREATE TRIGGER service_kb_article_search_vector_trg
                    BEFORE INSERT OR UPDATE OF name, problem, solution ON service_kb_article
                    FOR EACH ROW EXECUTE FUNCTION service_kb_article_search_vector();
                CREATE INDEX IF NOT EXISTS service_kb_article_search_vector_idx
                    ON service_kb_article USING GIN (search_vector);
                CREATE INDEX IF NOT EXISTS service_kb_article_title_vector_idx
                    ON service_kb_article USING GIN (title_vector);
                UPDATE service_kb_article SET name = name
                 WHERE search_vector IS NULL OR title_vector IS NULL;
                """
            )
        )
        cr.execute(SQL("SELECT 1 FROM service_kb_word LIMIT 1"))
        if not cr.fetchone():
            self._kb_rebuild_words()
        # older databases have no lexeme list yet: filled at their upgrade
        cr.execute(SQL("SELECT 1 FROM service_kb_lexeme LIMIT 1"))
        if not cr.fetchone():
            self._kb_rebuild_lexemes()

    @api.model
    def _kb_rebuild_words(self):
        """Refill the word and lexeme lists from the articles (words of deleted or edited
        articles stay in them until then; they only cost a correction or a prefix word that
        finds nothing)."""
        self.flush_model(["name", "problem", "solution"])
        self.env.execute_query(
            SQL(
                """
                DELETE FROM service_kb_word;
                INSERT INTO service_kb_word (word)
                     SELECT DISTINCT word
                       FROM service_kb_article,
                            service_kb_article_words(name, problem, solution) AS word
                ON CONFLICT DO NOTHING
                """
            )
        )
        self._kb_rebuild_lexemes()

    @api.model
    def _kb_rebuild_lexemes(self):
        """Refill the lexeme list from the articles' full-text vectors."""
        self.flush_model(["name", "problem", "solution"])
        self.env.execute_query(
            SQL(
                """
                DELETE FROM service_kb_lexeme;
                INSERT INTO service_kb_lexeme (lexeme)
                     SELECT DISTINCT unnest(tsvector_to_array(search_vector))
                       FROM service_kb_article
                ON CONFLICT DO NOTHING
                """
            )
        )

    @api.model
    def _kb_website_shown(self):
        """False when the operator hid the Help Desk (service_portal's portal settings)."""
        return self.env["service.portal.settings"].get_shown_sections().get("helpdesk", True)

    # ------------------------------------------------------------------
    # Copy of a resolved request
    # ------------------------------------------------------------------

    @api.model
    def _create_from_ticket(self, ticket):
        """A draft article from a resolved request: its subject, description and solution.

        :raise UserError: unless the request is completed with a solution
        """
        ticket.ensure_one()
        if ticket.state != "completed" or is_html_empty(ticket.solution):
            raise UserError(
                self.env._(
                    "Only a completed request with a solution can be copied to the knowledge base."
                )
            )
        return self.create(
            {
                "name": ticket.subject,
                "problem": ticket.description,
                "solution": ticket.solution,
                "ticket_id": ticket.id,
                "is_published": False,
            }
        )

    # ------------------------------------------------------------------
    # Deflection: suggestions opened, then a request sent or not
    # ------------------------------------------------------------------

    def _kb_record_suggestion_open(self, session):
        """A customer opened this article from the suggestions of the request form: count
        the open, and count it as a deflection until the same session sends a request.
        Counted once per article and session until then.

        :param session: the HTTP session (a dict-like), which remembers the pending opens
        """
        self.ensure_one()
        pending = list(session.get("helpdesk_suggestion_opens", []))
        if self.id in pending:
            return
        self.sudo()._kb_increment("suggestion_open_count")
        self.sudo()._kb_increment("deflection_count")
        session["helpdesk_suggestion_opens"] = [*pending, self.id][-50:]

    @api.model
    def _kb_record_request_sent(self, session):
        """The session sent a request: the suggestions it opened did not deflect it."""
        pending = session.pop("helpdesk_suggestion_opens", None) or []
        articles = self.sudo().with_context(active_test=False).browse(pending).exists()
        if articles:
            self.env.execute_query(
                SQL(
                    "UPDATE service_kb_article"
                    " SET deflection_count = GREATEST(COALESCE(deflection_count, 0) - 1, 0)"
                    " WHERE id IN %s",
                    tuple(articles.ids),
                )
            )
            articles.invalidate_recordset(["deflection_count"])

    # ------------------------------------------------------------------
    # Website counters (no write access needed: plain SQL increments)
    # ------------------------------------------------------------------

    def _kb_increment(self, column):
        if column not in const.KB_COUNTERS:
            raise ValueError(column)
        self.env.execute_query(
            SQL(
                "UPDATE service_kb_article SET %(column)s = COALESCE(%(column)s, 0) + 1"
                " WHERE id IN %(ids)s",
                column=SQL.identifier(column),
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset([column])
