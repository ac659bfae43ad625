"""Our fields on Odoo's models take the ``service_`` prefix (issue: the house). The columns
and the fields' records are renamed before the module loads, so that no value is lost and
nothing that points at a field (its xmlid, its access rights, a view) is recreated."""

from odoo.addons.service_portal.utils import rename_fields

RENAMES = {
    # model: {old: new}
    "product.template": {"stripe_price_id": "service_stripe_price_id"},
    # product.product shows the template's fields through _inherits
    "product.product": {"stripe_price_id": "service_stripe_price_id"},
}


def migrate(cr, version):
    rename_fields(cr, RENAMES)
