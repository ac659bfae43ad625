"""Since 19.0.1.2.0 the visit emails tell the visit's window in the customer's time zone
(service.scoped.mixin._service_format_window). Their templates are noupdate data: load
these three again from the data file, then keep them noupdate for later upgrades."""

from lxml import etree

from odoo import api
from odoo.tools import SQL, file_open
from odoo.tools.convert import xml_import

DATA_FILE = "service_portal/data/mail_template_data.xml"
TEMPLATES = (
    "mail_template_order_scheduled",
    "mail_template_order_rescheduled",
    "mail_template_visit_reminder",
)


def _set_noupdate(cr, noupdate):
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET noupdate = %s WHERE module = 'service_portal' AND name IN %s",
            noupdate,
            TEMPLATES,
        )
    )


def migrate(cr, version):
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    _set_noupdate(cr, False)  # else Odoo skips the records that are noupdate in the database
    with file_open(DATA_FILE, "rb") as data:
        root = etree.parse(data).getroot()
    root.set("noupdate", "0")
    for record in root.xpath("//record"):
        if record.get("id") not in TEMPLATES:
            record.getparent().remove(record)
    xml_import(env, "service_portal", {}, "update", noupdate=False, xml_filename=DATA_FILE).parse(
        root
    )
    _set_noupdate(cr, True)
