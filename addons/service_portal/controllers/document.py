from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import groupby as groupbyelem

from .portal import ServicePortal


class ServicePortalDocuments(ServicePortal):
    """Documents: the list and the download of a published document."""

    @http.route(
        ["/my/documents", "/my/documents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_documents(self, page=1, **_kwargs):
        self._service_check_section("documents")
        Document = request.env["service.document"]
        total = Document.search_count([])
        pager = portal_pager(
            url="/my/documents", total=total, page=page, step=self._service_items_per_page
        )
        documents = Document.search(
            [],
            order="site_id, create_date desc, id desc",
            limit=self._service_items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "grouped_documents": [
                    (site, Document.concat(*group))
                    for site, group in groupbyelem(documents, lambda d: d.site_id)
                ],
                "pager": pager,
                "page_name": "service_documents",
                "default_url": "/my/documents",
            }
        )
        return request.render("service_portal.portal_my_documents", values)

    @http.route(
        ["/my/documents/<int:document_id>/download"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_document_download(self, document_id, **_kwargs):
        self._service_check_section("documents")
        try:
            document_sudo = (
                request.env["service.document"].browse(document_id)._portal_downloadable()
            )
        except (AccessError, MissingError):
            raise request.not_found() from None
        stream = request.env["ir.binary"]._get_stream_from(
            document_sudo, "file", filename=document_sudo.file_name or document_sudo.name
        )
        return stream.get_response(as_attachment=True)
