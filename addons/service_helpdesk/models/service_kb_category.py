from odoo import fields, models


class ServiceKbCategory(models.Model):
    _name = "service.kb.category"
    _description = "Knowledge Base Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(translate=True)
    active = fields.Boolean(default=True)
    article_ids = fields.One2many("service.kb.article", "category_id", string="Articles")
