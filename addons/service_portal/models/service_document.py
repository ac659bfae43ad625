from odoo import api, fields, models
from odoo.exceptions import MissingError, ValidationError


class ServiceDocument(models.Model):
    _name = "service.document"
    _description = "Customer Document"
    _inherit = ["service.scoped.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char(string="Description", required=True, help="Shown to the customer.")
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    mimetype = fields.Char(compute="_compute_mimetype")
    published = fields.Boolean(
        string="Published in the Portal",
        default=False,
        index=True,
        help="Only published documents are ever shown or downloadable in the portal.",
    )
    order_id = fields.Many2one(
        "service.order", string="Service Order", index="btree_not_null", ondelete="cascade"
    )
    equipment_id = fields.Many2one("service.equipment", index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one(
        compute="_compute_partner_site", store=True, readonly=False, precompute=True
    )
    site_id = fields.Many2one(
        compute="_compute_partner_site", store=True, readonly=False, precompute=True
    )

    @api.depends("order_id", "equipment_id")
    def _compute_partner_site(self):
        for document in self:
            source = document.order_id or document.equipment_id
            if source:
                document.partner_id = source.partner_id
                document.site_id = source.site_id
            else:
                document.partner_id = document.partner_id
                document.site_id = document.site_id

    def _compute_mimetype(self):
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("res_field", "=", "file"),
                ]
            )
        )
        mimetypes = {attachment.res_id: attachment.mimetype for attachment in attachments}
        for document in self:
            document.mimetype = mimetypes.get(document.id, "application/octet-stream")

    @api.constrains("order_id", "equipment_id", "partner_id", "site_id")
    def _check_links_match(self):
        for document in self:
            for source in (document.order_id, document.equipment_id):
                if not source:
                    continue
                if source.partner_id != document.partner_id or source.site_id != document.site_id:
                    raise ValidationError(
                        self.env._(
                            "The document %(document)s must have the customer and site of "
                            "%(origin)s.",
                            document=document.name,
                            origin=source.display_name,
                        )
                    )

    def _portal_downloadable(self):
        """This document as superuser, for the current user to download from the portal:
        raises AccessError when they may not read it, MissingError when it is gone or not
        published."""
        self.ensure_one()
        self.check_access("read")
        document_sudo = self.sudo().exists()
        if not document_sudo or not document_sudo.published:
            raise MissingError(self.env._("This document is not available."))
        return document_sudo

    @api.model
    def _portal_published_of(self, record):
        """The published documents of ``record`` (a service order or an equipment, its
        ``document_ids``) as superuser, with their names: one query for the portal page."""
        inverse = record._fields["document_ids"].inverse_name
        return self.sudo().search_fetch(
            [(inverse, "=", record.id), ("published", "=", True)], ["name"]
        )
