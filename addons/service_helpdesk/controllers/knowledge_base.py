from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.fields import Domain
from odoo.http import request

from ..const import KB_COUNT_CAP

ARTICLES_PER_PAGE = 20
MOST_VIEWED = 8


def sitemap_articles(env, _rule, qs):
    """The published articles a visitor may read, for /sitemap.xml (enumerated as the
    website's public user: the record rules leave out drafts and portal-only articles)."""
    Article = env["service.kb.article"]
    if not Article._kb_website_shown():
        return
    for article in Article.search(Article._kb_base_domain(), order="id"):
        loc = article.website_url
        if not qs or qs.lower() in loc:
            yield {"loc": loc, "lastmod": article.write_date.date()}


class HelpdeskKnowledgeBase(http.Controller):
    """The public knowledge base: /helpdesk (search, categories, most viewed) and articles.

    Everything is read with the visitor's own access rights: the record rules hide drafts
    from everyone outside the help desk and portal-only articles from visitors.
    """

    def _helpdesk_enabled(self):
        return request.env["service.kb.article"]._kb_website_shown()

    def _helpdesk_can_ask(self):
        """Whether to offer the request form: to visitors (it asks them to log in) and to
        users who may create requests, not to other staff (it would answer 403)."""
        user = request.env.user
        return user._is_public() or request.env["service.ticket"].has_access("read")

    def _helpdesk_category(self, category_id):
        try:
            category_id = int(category_id)
        except (TypeError, ValueError):
            return request.env["service.kb.category"]
        return request.env["service.kb.category"].search([("id", "=", category_id)], limit=1)

    @http.route(
        ["/helpdesk", "/helpdesk/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=True,
        readonly=True,
    )
    def helpdesk_index(self, page=1, search=None, category=None, **_kw):
        if not self._helpdesk_enabled():
            return request.not_found()
        Article = request.env["service.kb.article"]
        search = (search if isinstance(search, str) else "").strip()[:200]
        category = self._helpdesk_category(category)
        values = {
            "search": search,
            "category": category,
            "categories": self._helpdesk_categories(),
            "helpdesk_can_ask": self._helpdesk_can_ask(),
        }
        if category:
            values["main_object"] = category
        if search or category:
            offset = (max(page, 1) - 1) * ARTICLES_PER_PAGE
            if search:
                articles, total, snippets = Article._kb_search(
                    search, category=category, limit=ARTICLES_PER_PAGE, offset=offset
                )
            else:
                domain = Article._kb_base_domain(category)
                total = Article.search_count(domain)
                articles = Article.search(domain, limit=ARTICLES_PER_PAGE, offset=offset)
                snippets = {}
            values["pager"] = portal_pager(
                url="/helpdesk",
                url_args={"search": search, "category": category.id or None},
                total=min(total, KB_COUNT_CAP),
                page=page,
                step=ARTICLES_PER_PAGE,
            )
            values.update(articles=articles, total=total, snippets=snippets, count_cap=KB_COUNT_CAP)
        else:
            values["most_viewed"] = Article.search(
                Article._kb_base_domain(), order="view_count desc, id desc", limit=MOST_VIEWED
            )
        return request.render("service_helpdesk.helpdesk_index", values)

    def _helpdesk_categories(self):
        Article = request.env["service.kb.article"]
        counts = dict(
            Article._read_group(
                Article._kb_base_domain() & Domain("category_id", "!=", False),
                ["category_id"],
                ["__count"],
            )
        )
        return [(category, counts[category]) for category in counts.keys() if category.active]

    def _helpdesk_article(self, slug):
        __, article_id = request.env["ir.http"]._unslug(slug)
        if not article_id:
            return None
        Article = request.env["service.kb.article"]
        return Article.search(Article._kb_base_domain() & Domain("id", "=", article_id)) or None

    @http.route(
        "/helpdesk/suggest",
        type="jsonrpc",
        auth="public",
        website=True,
        readonly=True,
        sitemap=False,
    )
    def helpdesk_suggest(self, text=None, **_kw):
        """Articles matching what a customer types in a new request (at most 5), read with
        the caller's own rights; anything but a text gets no suggestion."""
        return {"articles": request.env["service.kb.article"]._kb_suggest(text)}

    @http.route(
        "/helpdesk/<string:slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=sitemap_articles,
        readonly=True,
    )
    def helpdesk_article(self, slug, voted=None, **_kw):
        if not self._helpdesk_enabled():
            return request.not_found()
        article = self._helpdesk_article(slug)
        if not article:
            return request.not_found()
        # read-only: the page's script counts the view (/helpdesk/<slug>/seen)
        values = {
            "article": article,
            "main_object": article,
            "categories": self._helpdesk_categories(),
            "voted": voted == "1" or article.id in request.session.get("helpdesk_votes", []),
            "helpdesk_can_ask": self._helpdesk_can_ask(),
        }
        return request.render("service_helpdesk.helpdesk_article", values)

    @http.route(
        "/helpdesk/<string:slug>/seen",
        type="jsonrpc",
        auth="public",
        website=True,
        sitemap=False,
    )
    def helpdesk_article_seen(self, slug, suggested=False, **_kw):
        """The article page was shown: count the view, and the open of a suggestion of the
        new request form (logged-in customers only). Called by the page's script, so that
        the page itself stays a read-only route (served by a replica) and robots that run
        no script count no view."""
        if not self._helpdesk_enabled():
            return {}
        article = self._helpdesk_article(slug)
        if not article:
            return {}
        article.sudo()._kb_increment("view_count")
        if suggested is True and not request.env.user._is_public():
            article._kb_record_suggestion_open(request.session)
        return {"counted": True}

    @http.route(
        "/helpdesk/<string:slug>/vote",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def helpdesk_article_vote(self, slug, helpful=None, **_kw):
        if not self._helpdesk_enabled():
            return request.not_found()
        article = self._helpdesk_article(slug)
        if not article or helpful not in ("0", "1"):
            return request.not_found()
        votes = request.session.get("helpdesk_votes", [])
        if article.id not in votes:
            column = "helpful_count" if helpful == "1" else "unhelpful_count"
            article.sudo()._kb_increment(column)
            request.session["helpdesk_votes"] = [*votes, article.id][-200:]
        return request.redirect(f"{article.website_url}?voted=1")
