from . import (
    account_move,
    payment_provider,
    product_template,
    res_partner,
    res_users,
    service_license,
    service_stripe_accounting,
    service_stripe_event,
    service_stripe_payouts,
    service_stripe_tax_map,
    service_subscription,
)
from . import service_order
from . import service_work_note_key
from . import service_order_sign
from . import res_config_settings
from . import service_order_field
