"""Since 19.0.1.1.1 the emails carry the accessibility attributes (lang, text
alternatives, layout tables as presentation): the templates are noupdate, so those of an
existing database are reset to the data file, unless someone changed them."""

from odoo import SUPERUSER_ID, api
from odoo.addons.service_portal.upgrade import reset_uncustomised_mail_templates


def migrate(cr, version):
    reset_uncustomised_mail_templates(api.Environment(cr, SUPERUSER_ID, {}), "service_portal")
