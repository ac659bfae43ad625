from odoo import fields, models


class ServiceKbTag(models.Model):
    _name = "service.kb.tag"
    _description = "Knowledge Base Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE(name)", "A tag with this name already exists.")
