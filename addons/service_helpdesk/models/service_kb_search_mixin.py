from itertools import combinations

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from .. import const, utils


class ServiceKbSearchMixin(models.AbstractModel):
    """The search of the knowledge base's articles, ranked by PostgreSQL's full-text search.

    It reads what ``service.kb.article`` maintains in the database (see its ``init``): the
    ``search_vector`` and ``title_vector`` columns and their GIN indexes, the word list
    ``service_kb_word`` (trigram index, for typos) and the lexeme list ``service_kb_lexeme``
    (known words, prefixes of search as you type).
    """

    _name = "service.kb.search.mixin"
    _description = "Knowledge Base Search"

    @api.model
    def _kb_search_terms(self, text):
        return [term[: const.MAX_TERM_LENGTH] for term in const.WORD.findall((text or "").lower())][
            : const.MAX_TERMS
        ]

    @api.model
    def _kb_query_words(self, terms):
        """The words of the question to search, as ``to_tsquery`` operands (see
        :meth:`_kb_query_operands`)."""
        return [word for word, __ in self._kb_query_operands(terms)]

    @api.model
    def _kb_query_operands(self, terms):
        """The words of the question to search: stop words dropped; the last word also as
        a prefix (search as you type) when it has three letters or more (``a:*`` would
        match half the base); a word that no article has replaced by the most similar word
        of the word list (typo tolerance), unless it is short or has digits.

        Whether a word is known is read in the lexeme list (a primary-key look-up); only
        unknown words are corrected, through the word list's trigram index. A prefix that
        at most ``KB_PREFIX_WORDS`` lexemes have is searched as those lexemes.

        :return: a list of ``(word, tsquery)``: the word as a ``to_tsquery`` operand (as
            typed or corrected, ``:*`` for a prefix) and its normalized tsquery text
            (stemmed lexemes, the input of ``::tsquery``), once per tsquery
        """
        operands = [
            term if i < len(terms) - 1 or len(term) < 3 else f"{term}:*"
            for i, term in enumerate(terms)
        ]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.operand, numnode(q.query) > 0, c.correction,
                       to_tsquery(%(config)s::regconfig, coalesce(c.correction, t.operand))::text,
                       e.lexemes
                  FROM unnest(%(terms)s::text[], %(operands)s::text[])
                       WITH ORDINALITY AS t(term, operand, position)
                 CROSS JOIN LATERAL (
                       SELECT to_tsquery(%(config)s::regconfig, t.operand) AS query,
                              tsvector_to_array(to_tsvector(%(config)s::regconfig, t.term))
                                  AS stems,
                              t.operand LIKE '%%:*' AS prefix) q
                  -- the lexemes the index has for the word: its stem, or those starting
                  -- with it for a prefix
                  LEFT JOIN LATERAL (
                       SELECT array_agg(lexeme) AS lexemes, count(*) AS known FROM (
                           SELECT lexeme.lexeme FROM service_kb_lexeme lexeme
                            WHERE cardinality(q.stems) = 1
                              AND lexeme.lexeme >= q.stems[1]
                              AND lexeme.lexeme <= q.stems[1]
                                  || CASE WHEN q.prefix THEN chr(1114111) ELSE '' END
                              AND starts_with(lexeme.lexeme, q.stems[1])
                            ORDER BY lexeme.lexeme
                            LIMIT %(prefix_words)s + 1) lexeme) e ON TRUE
                  LEFT JOIN LATERAL (
                       SELECT word.word AS correction FROM service_kb_word word
                        WHERE length(t.term) >= %(min_length)s AND t.term !~ '[[:digit:]_]'
                          AND numnode(q.query) > 0 AND e.known = 0
                          AND word.word %% t.term
                          AND similarity(word.word, t.term) >= %(similarity)s
                        ORDER BY similarity(word.word, t.term) DESC,
                                 abs(length(word.word) - length(t.term)), word.word
                        LIMIT 1) c ON TRUE
                 ORDER BY t.position
                """,
                config=const.TS_CONFIG,
                min_length=const.KB_TYPO_MIN_LENGTH,
                similarity=const.KB_TYPO_SIMILARITY,
                prefix_words=const.KB_PREFIX_WORDS,
                terms=list(terms),
                operands=operands,
            )
        )
        result, seen = [], set()
        for operand, meaningful, correction, normalized, lexemes in rows:
            if not meaningful or normalized in seen:
                continue
            seen.add(normalized)
            tsquery = normalized
            if (
                not correction
                and operand.endswith(":*")
                and 0 < len(lexemes or ()) <= const.KB_PREFIX_WORDS
            ):
                # the words having the prefix, as the index has them (not stemmed again)
                tsquery = f"({' | '.join(map(utils.tsquery_lexeme, lexemes))})"
            result.append((correction or operand, tsquery))
        return result

    @api.model
    def _kb_tsquery(self, queries, least=None):
        """A tsquery of articles having at least ``least`` of ``queries`` (normalized
        tsquery texts, see :meth:`_kb_query_operands`; all by default)."""
        least = len(queries) if least is None else least
        text = " | ".join(f"({' & '.join(group)})" for group in combinations(queries, least))
        return SQL("%s::tsquery", text)

    @api.model
    def _kb_base_domain(self, category=None):
        domain = Domain("is_published", "=", True)
        if category:
            domain &= Domain("category_id", "=", category.id)
        return domain

    @api.model
    def _kb_search(self, text, category=None, limit=20, offset=0, any_word=False, snippets=True):
        """Rank the published articles the current user may read against ``text``.

        The articles having every word come first, title matches first, then by
        ``ts_rank_cd`` (title words weigh more than the problem, which weighs more than the
        solution). When no article has every word (a question: "radiator cold in the
        library"), or with ``any_word``, the articles having the most of the words come
        first, then those having fewer, down to one (title matches of any word first, then
        by ``ts_rank_cd``), until the page is full. Typos are corrected first (see
        :meth:`_kb_query_words`). When the text has only stop words (such as "a" or "to"),
        fall back to titles containing the text; when no article has any of its words, to
        titles similar to it.

        Only the first ``KB_CANDIDATES`` matches found in the indexes are ranked, and the
        total is counted up to ``KB_COUNT_CAP``: a word found in tens of thousands of
        articles stays fast, and below those numbers the ranking and the total are exact.
        The total is that of the articles listed: those having every word, else those
        having at least as many words as the last ones the page reaches.

        :param snippets: False to skip the highlighted excerpts (suggestions show none)
        :return: ``(articles, total, snippets)`` where ``total`` is at most
            ``KB_COUNT_CAP + 1`` (read: "more than KB_COUNT_CAP") and ``snippets`` maps an
            article id to a safe HTML excerpt with the matched words in ``<mark>``.
        """
        terms = self._kb_search_terms(text)
        if not terms:
            return self.browse(), 0, {}
        # the trigger fills the vectors and the word list when the ORM writes the row
        self.flush_model(["name", "problem", "solution"])
        queries = [tsquery for __, tsquery in self._kb_query_operands(terms)]
        domain = self._kb_base_domain(category)
        if not queries:
            return self._kb_search_fallback(" ".join(terms), domain, limit, offset)
        ids, total, excerpts = self._kb_ranked(
            domain, queries, limit, offset, every_word_alone=not any_word, snippets=snippets
        )
        if not total:
            return self._kb_search_similar_titles(" ".join(terms), domain, limit, offset)
        return self.browse(ids), total, excerpts

    @api.model
    def _kb_ranked(self, domain, words, limit, offset, every_word_alone=True, snippets=True):
        """A page of the articles matching ``words`` (normalized tsquery texts, see
        :meth:`_kb_query_operands`) in ``domain``, in one statement.

        Level ``k`` is the set of articles having at least ``k`` of the ``len(words)`` words,
        found through the full-text GIN index (a tsquery of the word combinations; level
        ``k`` holds the levels above it, level 1 is every article having any word). The
        levels are read from the top down until one has enough
        articles for the page: the *last* level (with ``every_word_alone``, the top level is
        the last as soon as it has one article: articles having every word come alone). The
        page is ranked by the number of words (the highest level an article is in), then
        title matches first, then ``ts_rank_cd``; title matches and ranks are against every
        word when the last level is the top one, else against any word.

        Only the last level's title matches are ranked when they, with the levels above,
        fill the page (title matches come first): the many articles having the words in
        their text only are then never read. Each level, and the title matches, are read
        unordered through the GIN index (a materialized CTE, so that PostgreSQL keeps the
        bitmap index scan), up to ``KB_CANDIDATES`` (``KB_COUNT_CAP + 1`` for the total)
        and only as far as needed; the ranks are computed while the candidates are read,
        for the candidates only.

        :return: ``(ids, total, snippets)``: the page's ids in order, the number of
            articles of the last level (up to ``KB_COUNT_CAP + 1``) and, with ``snippets``,
            the excerpts by id.
        """
        count = len(words)
        page_end = offset + limit
        levels = range(count, 0, -1)

        def matching(column, tsquery, cap, *columns):
            """The first ``cap`` articles found whose ``column`` matches ``tsquery``, with
            ``columns`` (functions of the table's alias returning ``SQL``), else their id."""
            query = self._search(domain)
            # unordered: only the first `cap` matches found are read, not every match sorted
            query.order = None
            query.add_where(SQL("%s @@ %s", SQL.identifier(query.table, column), tsquery))
            # Materialized, the matches are found through the GIN index (and only the first
            # `cap` read from the table, their columns computed for those only): with the
            # LIMIT inside, PostgreSQL would rather scan the table and test every row,
            # several times slower for a word found in many articles.
            return SQL(
                "WITH found AS MATERIALIZED (%s) SELECT * FROM found LIMIT %s",
                query.select(*(column_(query.table) for column_ in columns)),
                cap,
            )

        def article_id(table):
            return SQL.identifier(table, "id")

        def title(tsquery):
            return lambda table: SQL(
                "%s @@ %s AS title", SQL.identifier(table, "title_vector"), tsquery
            )

        def rank(tsquery):
            return lambda table: SQL(
                "ts_rank_cd(%s, %s) AS rank", SQL.identifier(table, "search_vector"), tsquery
            )

        def level(k):
            return SQL.identifier(f"level_{k}")

        def body(k):
            return SQL.identifier(f"body_{k}")

        def query(k):
            """The tsquery of level ``k`` (once per statement: an InitPlan)."""
            return SQL("(SELECT %s FROM queries)", SQL.identifier(f"q_{k}"))

        def ranking(k):
            """What the last level ``k`` ranks against: every word on the top level, else
            any word."""
            return query(count if k == count else 1)

        # the last level: the first, from the top, with articles enough (the levels below
        # it are never read)
        last = SQL(" UNION ALL ").join(
            SQL(
                "SELECT %(k)s AS level WHERE (SELECT count(*) FROM"
                " (SELECT 1 FROM %(level)s LIMIT %(need)s) enough) >= %(need)s",
                k=k,
                level=level(k),
                need=1 if k == count and every_word_alone else page_end,
            )
            for k in levels
            if k > 1
        )
        last = SQL("%s UNION ALL SELECT 1", last) if count > 1 else SQL("SELECT 1 AS level")

        def own(tables, cap):
            """The last level's rows of ``tables(k)``, up to ``cap``."""
            return SQL(" UNION ALL ").join(
                SQL(
                    "(SELECT * FROM %(table)s WHERE (SELECT level FROM last) = %(k)s"
                    " LIMIT %(cap)s)",
                    k=k,
                    table=tables(k),
                    cap=cap,
                )
                for k in levels
            )

        statement = SQL(
            """
            WITH queries AS MATERIALIZED (SELECT %(queries)s),
                 %(levels)s,
                 last AS MATERIALIZED (SELECT level FROM (%(last)s) levels LIMIT 1),
                 -- the articles of the levels above the last one (fewer than a page each)
                 above AS MATERIALIZED (
                     SELECT id, max(level) AS level FROM (%(above)s) above GROUP BY id),
                 -- the last level's title matches, when they are a subset of it: the titles
                 -- having every word on the top level, any word on the bottom one
                 titles_every AS MATERIALIZED (%(titles_every)s),
                 titles_any AS MATERIALIZED (%(titles_any)s),
                 titles AS MATERIALIZED (
                     SELECT id, rank FROM titles_every WHERE (SELECT level FROM last) = %(count)s
                     UNION ALL
                     SELECT id, rank FROM titles_any
                      WHERE (SELECT level FROM last) = 1 AND %(count)s > 1),
                 -- the last level's articles, read when those above do not fill the page
                 %(bodies)s,
                 reading AS MATERIALIZED (
                     SELECT (SELECT count(DISTINCT id) FROM (
                                SELECT id FROM above UNION ALL SELECT id FROM titles) head)
                            < %(page_end)s AS bodies),
                 candidates AS (
                     SELECT above.id, above.level,
                            article.title_vector @@ %(any)s AS title,
                            ts_rank_cd(article.search_vector, %(any)s) AS rank
                       FROM above JOIN service_kb_article article ON article.id = above.id
                     UNION ALL
                     SELECT id, (SELECT level FROM last), TRUE, rank FROM titles
                     UNION ALL
                     SELECT id, (SELECT level FROM last), title, rank FROM (%(own_bodies)s) own
                      WHERE (SELECT bodies FROM reading)),
                 page AS MATERIALIZED (
                     SELECT ARRAY(
                         SELECT id FROM candidates
                          GROUP BY id
                          ORDER BY max(level) DESC, bool_or(title) DESC, max(rank) DESC, id DESC
                          LIMIT %(limit)s OFFSET %(offset)s) AS ids)
            SELECT CASE WHEN (SELECT bodies FROM reading)
                        THEN (SELECT count(*) FROM (%(own_bodies_total)s) own)
                        ELSE (SELECT count(*) FROM (%(own_total)s) own) END,
                   (SELECT ids FROM page),
                   ARRAY(SELECT %(excerpt)s
                           FROM unnest((SELECT ids FROM page)) WITH ORDINALITY AS p(id, position)
                           JOIN service_kb_article article ON article.id = p.id
                          WHERE %(snippets)s
                          ORDER BY p.position)
            """,
            queries=SQL(", ").join(
                SQL("%s AS %s", self._kb_tsquery(words, k), SQL.identifier(f"q_{k}"))
                for k in levels
            ),
            levels=SQL(", ").join(
                SQL(
                    "%s AS MATERIALIZED (%s)",
                    level(k),
                    matching(
                        "search_vector", query(k), max(const.KB_CANDIDATES, const.KB_COUNT_CAP + 1)
                    ),
                )
                for k in levels
            ),
            last=last,
            above=SQL(" UNION ALL ").join(
                SQL(
                    "SELECT id, %(k)s AS level FROM %(level)s"
                    " WHERE (SELECT level FROM last) < %(k)s",
                    k=k,
                    level=level(k),
                )
                for k in levels
            ),
            count=count,
            titles_every=matching(
                "title_vector",
                query(count),
                const.KB_CANDIDATES,
                article_id,
                rank(query(count)),
            ),
            titles_any=matching(
                "title_vector",
                query(1),
                const.KB_CANDIDATES,
                article_id,
                rank(query(1)),
            ),
            bodies=SQL(", ").join(
                SQL(
                    "%s AS MATERIALIZED (%s)",
                    body(k),
                    matching(
                        "search_vector",
                        query(k),
                        max(const.KB_CANDIDATES, const.KB_COUNT_CAP + 1),
                        article_id,
                        title(ranking(k)),
                        rank(ranking(k)),
                    ),
                )
                for k in levels
            ),
            page_end=page_end,
            any=query(1),
            own_bodies=own(body, const.KB_CANDIDATES),
            limit=limit,
            offset=offset,
            own_bodies_total=own(body, const.KB_COUNT_CAP + 1),
            own_total=own(level, const.KB_COUNT_CAP + 1),
            excerpt=SQL(
                "ts_headline(%(config)s::regconfig, regexp_replace("
                "coalesce(article.problem, '') || ' ' || coalesce(article.solution, ''),"
                " '<[^>]*>', ' ', 'g'), %(query)s, %(options)s)",
                config=const.TS_CONFIG,
                query=SQL(
                    "CASE WHEN (SELECT level FROM last) = %s THEN %s ELSE %s END",
                    count,
                    query(count),
                    query(1),
                ),
                options=f"StartSel={const.MARK_START}, StopSel={const.MARK_STOP}, MaxWords=35, MinWords=15",
            ),
            snippets=SQL("TRUE" if snippets else "FALSE"),
        )
        ((total, ids, excerpts),) = self.env.execute_query(statement)
        if not snippets:
            return ids, total, {}
        pairs = zip(ids, excerpts, strict=True)
        return ids, total, {id_: utils.highlight(excerpt) for id_, excerpt in pairs}

    @api.model
    def _kb_search_fallback(self, text, domain, limit, offset):
        domain &= Domain("name", "ilike", text)
        total = self.search_count(domain, limit=const.KB_COUNT_CAP + 1)
        articles = self.search(domain, limit=limit, offset=offset, order="view_count desc, id desc")
        return articles, total, {}

    @api.model
    def _kb_search_similar_titles(self, text, domain, limit, offset):
        """Titles similar to ``text`` (pg_trgm's ``<%`` through the title's trigram index:
        word similarity of at least 0.6, PostgreSQL's default), the most similar first."""
        query = self._search(domain)
        name = SQL.identifier(query.table, "name")
        query.add_where(SQL("%s <%% %s", text, name))
        query.limit = const.KB_COUNT_CAP + 1
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
    def _kb_suggest(self, text, limit=const.KB_SUGGESTIONS):
        """Articles to suggest while a customer types a request (deflection): the published
        articles the current user may read that share a word with ``text`` (subject and
        description), best first, at most ``limit`` (capped at ``KB_SUGGESTIONS``).

        :return: a list of ``{"id", "name", "url"}`` for the form's script
        """
        if not isinstance(text, str) or not self._kb_website_shown():
            return []
        limit = max(1, min(int(limit), const.KB_SUGGESTIONS))
        articles = self._kb_search(
            text[: const.KB_SUGGEST_MAX_TEXT], limit=limit, any_word=True, snippets=False
        )[0]
        return [
            {"id": article.id, "name": article.name, "url": article.website_url}
            for article in articles
        ]
