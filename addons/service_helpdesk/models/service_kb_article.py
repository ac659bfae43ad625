import html
import re
from itertools import combinations

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# PostgreSQL text-search configuration of the knowledge base (stemming, stop words).
TS_CONFIG = "english"
# Words of the search box: letters and digits only, so they never carry tsquery syntax.
WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Markers around highlighted words in ts_headline's output; replaced by <mark> after
# the snippet is escaped, so the article's own text can never inject markup.
MARK_START, MARK_STOP = "\x02", "\x03"
# Matches counted exactly up to this number, then shown as "more than".
KB_COUNT_CAP = 1000
# Matches ranked per index (titles, full text): exact ranking below this many matches.
KB_CANDIDATES = 2000
# Typo tolerance: a word that no published article has is replaced by the most similar
# word of the knowledge base's word list (pg_trgm similarity, 0 to 1) when at least this
# similar ("libary" and "library": 0.5, "flors" and "floor": 0.33, PostgreSQL's default
# threshold); words shorter than KB_TYPO_MIN_LENGTH and words with digits (model codes)
# are never corrected, they are too easily mistaken.
KB_TYPO_SIMILARITY = 0.3
KB_TYPO_MIN_LENGTH = 4
# Articles suggested while a customer types a new request, and the text length considered.
KB_SUGGESTIONS = 5
KB_SUGGEST_MAX_TEXT = 500
# Counters the website may increment without write access.
KB_COUNTERS = (
    "view_count",
    "helpful_count",
    "unhelpful_count",
    "suggestion_open_count",
    "deflection_count",
)


class ServiceKbArticle(models.Model):
    """A help desk article published on the website under /helpdesk.

    ``search_vector`` is a tsvector column that the ORM does not know: a trigger fills it
    from the title (weight A), the problem (B) and the solution (C), and a GIN index serves
    the full-text search of :meth:`_kb_search`. The same trigger adds the article's words
    to ``service_kb_word``, the word list (with a trigram index) that corrects typos.
    """

    _name = "service.kb.article"
    _description = "Knowledge Base Article"
    _inherit = ["website.published.mixin", "mail.thread"]
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
                    ON service_kb_word USING GIN (word gin_trgm_ops);
                """
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
                config=TS_CONFIG,
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
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """,
                config=TS_CONFIG,
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

    @api.model
    def _kb_rebuild_words(self):
        """Refill the word list from the articles (words of deleted or edited articles
        stay in it until then; they only cost a correction that finds nothing)."""
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

    @api.model
    def _kb_website_shown(self):
        """False when the operator hid the Help Desk (service_portal's portal settings)."""
        if "service.portal.settings" not in self.env:
            return True
        return self.env["service.portal.settings"].get_shown_sections().get("helpdesk", True)

    @api.depends("name")
    def _compute_website_url(self):
        slug = self.env["ir.http"]._slug
        for article in self:
            article.website_url = f"/helpdesk/{slug(article)}" if article.id else "#"

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------

    @api.model
    def _kb_search_terms(self, text):
        return [term[:MAX_TERM_LENGTH] for term in WORD.findall((text or "").lower())][:MAX_TERMS]

    @api.model
    def _kb_query_words(self, terms):
        """The words of the question to search, as ``to_tsquery`` operands: stop words
        dropped; the last word also as a prefix (search as you type) when it has three
        letters or more (``a:*`` would match half the base); a word that no published article
        has replaced by the most similar word of the word list (typo tolerance), unless
        it is short or has digits."""
        operands = [
            term if i < len(terms) - 1 or len(term) < 3 else f"{term}:*"
            for i, term in enumerate(terms)
        ]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.operand, numnode(to_tsquery(%(config)s::regconfig, t.operand)) > 0,
                       CASE WHEN length(t.term) >= %(min_length)s AND t.term !~ '[[:digit:]_]'
                             AND numnode(to_tsquery(%(config)s::regconfig, t.operand)) > 0
                             AND NOT EXISTS (
                                 SELECT 1 FROM service_kb_article article
                                  WHERE article.is_published
                                    AND article.search_vector
                                        @@ to_tsquery(%(config)s::regconfig, t.operand))
                       THEN (SELECT word.word FROM service_kb_word word
                              WHERE word.word %% t.term
                                AND similarity(word.word, t.term) >= %(similarity)s
                              ORDER BY similarity(word.word, t.term) DESC,
                                       abs(length(word.word) - length(t.term)), word.word
                              LIMIT 1)
                       END
                  FROM unnest(%(terms)s::text[], %(operands)s::text[])
                       WITH ORDINALITY AS t(term, operand, position)
                 ORDER BY t.position
                """,
                config=TS_CONFIG,
                min_length=KB_TYPO_MIN_LENGTH,
                similarity=KB_TYPO_SIMILARITY,
                terms=list(terms),
                operands=operands,
            )
        )
        words = []
        for operand, meaningful, correction in rows:
            word = correction or operand
            if meaningful and word not in words:
                words.append(word)
        return words

    @api.model
    def _kb_tsquery(self, words, least=None):
        """A tsquery of articles having at least ``least`` of ``words`` (all by default)."""
        least = len(words) if least is None else least
        text = " | ".join(f"({' & '.join(group)})" for group in combinations(words, least))
        return SQL("to_tsquery(%s::regconfig, %s)", TS_CONFIG, text)

    @api.model
    def _kb_base_domain(self, category=None):
        domain = Domain("is_published", "=", True)
        if category:
            domain &= Domain("category_id", "=", category.id)
        return domain

    @api.model
    def _kb_search(self, text, category=None, limit=20, offset=0, any_word=False):
        """Rank the published articles the current user may read against ``text``.

        The articles having every word come first, title matches first, then by
        ``ts_rank_cd`` (title words weigh more than the problem, which weighs more than the
        solution). When no article has every word (a question: "radiator cold in the
        library"), or with ``any_word``, the articles having the most of the words come
        first, the same way; when they fill less than a page, followed by the articles
        having any of the words, ranked by how many words they have. Typos are corrected first (see
        :meth:`_kb_query_words`). When the text has only stop words (such as "a" or "to"),
        fall back to titles containing the text; when no article has any of its words, to
        titles similar to it.

        Only the first ``KB_CANDIDATES`` matches found in the title index and in the
        full-text index are ranked, and the total is counted up to ``KB_COUNT_CAP``: a word found in
        tens of thousands of articles stays fast, and below those numbers the ranking and
        the total are exact.

        :return: ``(articles, total, snippets)`` where ``total`` is at most
            ``KB_COUNT_CAP + 1`` (read: "more than KB_COUNT_CAP") and ``snippets`` maps an
            article id to a safe HTML excerpt with the matched words in ``<mark>``.
        """
        terms = self._kb_search_terms(text)
        if not terms:
            return self.browse(), 0, {}
        # the trigger fills the vectors and the word list when the ORM writes the row
        self.flush_model(["name", "problem", "solution"])
        words = self._kb_query_words(terms)
        domain = self._kb_base_domain(category)
        if not words:
            return self._kb_search_fallback(" ".join(terms), domain, limit, offset)
        if not any_word:
            tsquery = self._kb_tsquery(words)
            ids, total = self._kb_ranked(domain, tsquery, tsquery, limit, offset)
            if total:
                return self.browse(ids), total, self._kb_snippets(ids, tsquery)
            if len(words) == 1:
                return self._kb_search_similar_titles(" ".join(terms), domain, limit, offset)
        # Any word: the articles with the most words first. The most words any article has
        # is found level by level (each an index look-up), and that level's matches are
        # ranked with the others so that no cap on the many one-word matches hides them.
        any_query = self._kb_tsquery(words, 1)
        most = None
        for least in range(len(words) - (0 if any_word else 1), 1, -1):
            level = self._search(domain)
            level.order = None
            level.add_where(
                SQL(
                    "%s @@ %s",
                    SQL.identifier(level.table, "search_vector"),
                    self._kb_tsquery(words, least),
                )
            )
            # materialized for the GIN index, as in _kb_ranked (and read up to one row)
            found = SQL(
                "WITH found AS MATERIALIZED (%s) SELECT 1 FROM found LIMIT 1", level.select()
            )
            if self.env.execute_query(found):
                most = self._kb_tsquery(words, least)
                break
        if most:
            # A page full of articles with the most words needs no count of the words of
            # every candidate: the pages then list those articles only.
            ids, total = self._kb_ranked(domain, most, most, limit, offset)
            if len(ids) == limit:
                return self.browse(ids), total, self._kb_snippets(ids, any_query)
        matched = SQL(" + ").join(
            SQL("(article.search_vector @@ %s)::int", self._kb_tsquery([word])) for word in words
        )
        ids, total = self._kb_ranked(domain, any_query, most or any_query, limit, offset, matched)
        if not total:
            return self._kb_search_similar_titles(" ".join(terms), domain, limit, offset)
        return self.browse(ids), total, self._kb_snippets(ids, any_query)

    @api.model
    def _kb_ranked(self, domain, tsquery, best_query, limit, offset, matched=None):
        """Ids of a page of the articles matching ``tsquery`` (ranked: ``matched`` words
        first when given, then title matches, then ``ts_rank_cd``) and their total (up to
        ``KB_COUNT_CAP + 1``). ``best_query`` (at least as strict as ``tsquery``) brings its
        matches among the candidates even when ``tsquery`` has too many."""

        def matching(column, query_, cap):
            query = self._search(domain)
            # unordered: only the first `cap` matches found are read, not every match sorted
            query.order = None
            query.add_where(SQL("%s @@ %s", SQL.identifier(query.table, column), query_))
            # Materialized, the matches are found through the GIN index (and only the first
            # `cap` read from the table): with the LIMIT inside, PostgreSQL would rather scan
            # the table and test every row, several times slower for a prefix found in many
            # articles.
            return SQL(
                "WITH found AS MATERIALIZED (%s) SELECT id FROM found LIMIT %s",
                query.select(),
                cap,
            )

        # One statement: the full-text candidates also give the total (there are always more
        # of them than KB_COUNT_CAP), and the title candidates (and the best ones) bring
        # matches that the full-text candidates did not reach.
        best = SQL("SELECT id FROM texts LIMIT 0")
        if best_query is not tsquery:
            best = matching("search_vector", best_query, KB_CANDIDATES)
        ((total, ids),) = self.env.execute_query(
            SQL(
                """
                WITH texts AS MATERIALIZED (%(texts)s),
                     titles AS MATERIALIZED (%(titles)s),
                     best AS MATERIALIZED (%(best)s)
                SELECT (SELECT COUNT(*) FROM texts),
                       ARRAY(
                           SELECT article.id
                             FROM service_kb_article article
                             JOIN (SELECT id FROM texts UNION SELECT id FROM titles
                                   UNION SELECT id FROM best) candidate
                               ON candidate.id = article.id
                            ORDER BY %(matched)s
                                     article.title_vector @@ %(tsquery)s DESC,
                                     ts_rank_cd(article.search_vector, %(tsquery)s) DESC,
                                     article.id DESC
                            LIMIT %(limit)s OFFSET %(offset)s
                       )
                """,
                texts=matching("search_vector", tsquery, max(KB_CANDIDATES, KB_COUNT_CAP + 1)),
                titles=matching("title_vector", tsquery, KB_CANDIDATES),
                best=best,
                matched=SQL("%s DESC,", matched) if matched else SQL(),
                tsquery=tsquery,
                limit=limit,
                offset=offset,
            )
        )
        return ids, min(total, KB_COUNT_CAP + 1)

    @api.model
    def _kb_search_fallback(self, text, domain, limit, offset):
        domain &= Domain("name", "ilike", text)
        total = self.search_count(domain, limit=KB_COUNT_CAP + 1)
        articles = self.search(domain, limit=limit, offset=offset, order="view_count desc, id desc")
        return articles, total, {}

    @api.model
    def _kb_search_similar_titles(self, text, domain, limit, offset):
        """Titles similar to ``text`` (pg_trgm's ``<%`` through the title's trigram index:
        word similarity of at least 0.6, PostgreSQL's default), the most similar first."""
        query = self._search(domain)
        name = SQL.identifier(query.table, "name")
        query.add_where(SQL("%s <%% %s", text, name))
        query.limit = KB_COUNT_CAP + 1
        query.order = SQL(
            "word_similarity(%s, %s) DESC, %s DESC, %s DESC",
            text,
            name,
            SQL.identifier(query.table, "view_count"),
            SQL.identifier(query.table, "id"),
        )
        ids = [row[0] for row in self.env.execute_query(query.select())]
        return self.browse(ids[offset : offset + limit]), len(ids), {}

    @api.model
    def _kb_snippets(self, ids, tsquery):
        if not ids:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, ts_headline(%(config)s::regconfig,
                    regexp_replace(coalesce(problem, '') || ' ' || coalesce(solution, ''),
                                   '<[^>]*>', ' ', 'g'),
                    %(tsquery)s, %(options)s)
                  FROM service_kb_article
                 WHERE id IN %(ids)s
                """,
                config=TS_CONFIG,
                tsquery=tsquery,
                options=f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15",
                ids=tuple(ids),
            )
        )
        return {article_id: _highlight(snippet) for article_id, snippet in rows}

    @api.model
    def _kb_suggest(self, text, limit=KB_SUGGESTIONS):
        """Articles to suggest while a customer types a request (deflection): the published
        articles the current user may read that share a word with ``text`` (subject and
        description), best first, at most ``limit`` (capped at ``KB_SUGGESTIONS``).

        :return: a list of ``{"id", "name", "url"}`` for the form's script
        """
        if not isinstance(text, str) or not self._kb_website_shown():
            return []
        limit = max(1, min(int(limit), KB_SUGGESTIONS))
        articles = self._kb_search(text[:KB_SUGGEST_MAX_TEXT], limit=limit, any_word=True)[0]
        return [
            {"id": article.id, "name": article.name, "url": article.website_url}
            for article in articles
        ]

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
        if column not in KB_COUNTERS:
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


def _highlight(snippet):
    """Escape a ts_headline snippet, then turn its markers into <mark> elements."""
    text = " ".join(str(escape(html.unescape(snippet or ""))).split())
    return Markup(text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))
