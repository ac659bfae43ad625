"""Before 19.0.1.3.0 the licensing webhook verified its events with payment_stripe's
`stripe_webhook_secret`; it now has secrets of its own (system parameter
service_licensing.webhook_secrets). The secret it verified with until now is copied there,
so that an upgraded database keeps accepting its events; a new database must set it."""

from odoo import api

PARAM = "service_licensing.webhook_secrets"


def migrate(cr, version):
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    params = env["ir.config_parameter"].sudo()
    if params.get_param(PARAM):
        return
    provider = env["payment.provider"]._service_stripe_provider()
    if provider.stripe_webhook_secret:
        params.set_param(PARAM, provider.stripe_webhook_secret)
