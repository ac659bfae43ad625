from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # a "hide" flag like service_portal's sections (see service.portal.settings)
    service_portal_hide_helpdesk = fields.Boolean(
        string="Hide Help Desk", config_parameter="service_portal.hide_helpdesk"
    )

    service_helpdesk_reopen_days = fields.Integer(
        string="Reopen Within (Days)",
        config_parameter="service_helpdesk.reopen_days",
        default=30,
        help="How long after its completion a customer may reopen a request, from the portal "
        "or by replying to its emails.",
    )
