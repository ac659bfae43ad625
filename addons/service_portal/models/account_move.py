from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        recipients = super()._notify_get_recipients(message, msg_vals=msg_vals, **kwargs)
        return self.env["res.partner"]._service_filter_recipients(recipients, "invoice")
