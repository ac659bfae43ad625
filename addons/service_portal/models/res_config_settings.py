from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Stored as "hide" flags: Odoo deletes a boolean parameter set to False, so a "show"
    # flag defaulting to True could never be switched off.
    service_portal_hide_documents = fields.Boolean(
        string="Hide Documents", config_parameter="service_portal.hide_documents"
    )
    service_portal_hide_equipment = fields.Boolean(
        string="Hide Equipment", config_parameter="service_portal.hide_equipment"
    )
    service_portal_hide_all_open_orders = fields.Boolean(
        string="Hide All Open Orders", config_parameter="service_portal.hide_all_open_orders"
    )
    service_portal_hide_equipment_request = fields.Boolean(
        string="Hide Request Service on Equipment",
        config_parameter="service_portal.hide_equipment_request",
    )
