"""The technician workspace as an installable web app that keeps a note typed offline.

- ``/my/work/manifest.webmanifest``: the app's manifest (logged-in users only: it names
  the app and its start page, nothing of anyone's data; a public visitor is sent to the
  login page by ``auth="user"`` like any /my page).
- ``/my/work/service-worker.js``: the service worker, scoped to /my/work (public like
  Odoo's own service workers: it is static code, and the browser fetches it without asking).
- ``/my/work/offline/token``: a fresh CSRF token for the page that sends the notes kept on
  the phone (the token in a page opened hours ago, or served from the phone's cache, may
  belong to an older session).
- ``/my/work/<id>/note/sync``: the note form sent by the page's script, answered in JSON;
  with the key the phone gave the note, a note sent twice is stored once.
"""

import json
import uuid

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.service_portal.exceptions import error_field
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools.misc import file_open

from .work import ServiceWorkPortal

THEME_COLOR = "#714B67"
ICONS = "/service_licensing/static/src/img"
NO_STORE = ("Cache-Control", "no-store")


class ServiceWorkOffline(ServiceWorkPortal):
    def _work_scope(self):
        # with the website's language prefix (/fr/my/work) when the page has one
        return request.env["ir.http"]._url_for("/my/work")

    @http.route()
    def portal_my_work_order(self, order_id, **kw):
        response = super().portal_my_work_order(order_id, **kw)
        if getattr(response, "qcontext", None) is not None:
            # the note form's key: the same form sent twice (a doubled tap, a retry) is
            # stored once; the page's script gives each note kept offline a key of its own
            response.qcontext["work_note_client_key"] = str(uuid.uuid4())
        return response

    @http.route(
        "/my/work/manifest.webmanifest",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def portal_work_manifest(self, **_kw):
        scope = self._work_scope()
        company = request.env.company.sudo()
        icons = [
            {"src": f"{ICONS}/work_icon_{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ] + [
            {
                "src": f"{ICONS}/work_icon_maskable_{size}.png",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable",
            }
            for size in (192, 512)
        ]
        manifest = {
            "id": scope,
            "name": request.env._("%(company)s: my work", company=company.name),
            "short_name": request.env._("My work"),
            "description": request.env._(
                "The orders assigned to you, their notes and photos, also offline."
            ),
            "start_url": scope,
            "scope": scope,
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOR,
            "icons": icons,
            "prefer_related_applications": False,
        }
        return request.make_json_response(
            manifest, headers=[("Content-Type", "application/manifest+json")]
        )

    @http.route(
        "/my/work/service-worker.js",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def portal_work_service_worker(self, **_kw):
        with file_open("service_licensing/static/src/service_worker/work_service_worker.js") as f:
            body = f.read()
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "text/javascript; charset=utf-8"),
                ("Service-Worker-Allowed", self._work_scope()),
                # the browser checks for a new version at each visit
                ("Cache-Control", "no-cache"),
            ],
        )

    @http.route(
        "/my/work/offline/token",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
        sitemap=False,
    )
    def portal_work_offline_token(self, **_kw):
        # JSON read by same-origin scripts only: another site's page can send this request
        # with the user's cookie but cannot read the answer (no CORS headers, nosniff)
        if not request.env["service.order"]._technician_has_licence():
            return self._work_json({"error": self._work_no_licence_text()}, 403)
        return self._work_json({"csrf_token": request.csrf_token()})

    def _work_json(self, data, status=200):
        return request.make_response(
            json.dumps(data),
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("X-Content-Type-Options", "nosniff"),
                NO_STORE,
            ],
            status=status,
        )

    def _work_no_licence_text(self):
        return request.env._(
            "Your technician licence is not active: the note stays on this phone. Ask your "
            "administrator."
        )

    @http.route(
        "/my/work/<int:order_id>/note/sync",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def portal_work_note_sync(self, order_id, note=None, client_key=None, **_kw):
        """The note form, sent by the page's script (now, or later from the phone's queue).

        200 {"saved": true, "duplicate": bool, "url"}: stored now, or before with the key;
        403/404 {"error"}: no licence / not an order of the technician (the same answer for
        an order that does not exist); 422 {"error", "field"}: the note is refused.
        """
        if not request.env["service.order"]._technician_has_licence():
            return self._work_json({"error": self._work_no_licence_text()}, 403)
        try:
            order = self._technician_order(order_id)
        except NotFound:
            return self._work_json(
                {
                    "error": request.env._(
                        "This order is not assigned to you anymore: the note cannot be sent."
                    )
                },
                404,
            )
        try:
            stored = order._technician_add_note(note, self._work_uploaded_photos(), client_key)
        except UserError as error:
            request.env.cr.rollback()
            return self._work_json({"error": error.args[0], "field": error_field(error)}, 422)
        # the order's page the script opens next says it once
        self._work_saved()
        return self._work_json(
            {"saved": True, "duplicate": not stored, "url": f"{self._work_scope()}/{order.id}"}
        )
