"""Constants of the service portal (as Odoo's payment providers keep theirs in const.py)."""

import re

# The addons whose website routes go through the input layer (controllers/inputs.py).
SERVICE_MODULES = (
    "service_portal",
    "service_helpdesk",
    "service_licensing",
    "service_licensing_helpdesk",
)

# Portal sections the operator can hide (Settings > Field Service); other addons add theirs
# through service.portal.settings._get_portal_sections.
PORTAL_SECTIONS = ("documents", "equipment", "all_open_orders", "equipment_request")

# Service orders
OPEN_STATES = ("draft", "scheduled", "in_progress")
# A signature is a drawing on a phone or a screen, a few dozen kB as base64 PNG.
SIGNATURE_MAX_CHARS = 2 * 1024 * 1024

# Arrival windows
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
DEFAULT_HORIZON_DAYS = 21
DEFAULT_LEAD_HOURS = 12
MAX_PICKED_WINDOWS = 10
BUSY_STATES = ("scheduled", "in_progress")

# Registration and account forms
# The frame of every onboarding email; given at each send (not only on the templates, which
# are noupdate) so that existing databases use it too.
ONBOARDING_LAYOUT = "service_portal.mail_layout_onboarding"
# Addresses anyone can have: their domain says nothing of the customer.
WEBMAIL_DOMAINS = frozenset(
    "gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com icloud.com "
    "me.com aol.com gmx.com gmx.net gmx.de web.de proton.me protonmail.com mail.com "
    "yandex.com orange.fr free.fr".split()
)
# Per hour: what one network, and what one email address, may ask for.
RATE_LIMITS = {
    "register": {"ip": 5, "email": 3},
    "reset": {"ip": 10, "email": 3},
}
# The longest value each field of the portal's address form takes.
ADDRESS_FIELD_LIMITS = {
    "name": 128,
    "street": 128,
    "street2": 128,
    "city": 64,
    "zip": 16,
    "phone": 32,
}

# Input layer (controllers/inputs.py)
# C0 controls but tab and line breaks, DEL and C1 controls: never typed by a person.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\r\n]+")
PG_INT_MAX = 2**31 - 1
MAX_PAGE = 100_000
# No form of these pages takes more text (descriptions are cut at a few thousand).
MAX_PARAM_LENGTH = 65_536
DATE_YEARS = (1900, 2999)

# Files customers upload from the portal: one size and type policy for every form.
MAX_UPLOAD_FILES = 5
MAX_UPLOAD_SIZE = 10 * 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
ZIP_LIKE = {"application/zip", "application/octet-stream"}
# File extension -> content types its bytes may be sniffed as: anything else (HTML, SVG,
# executables renamed to .pdf, ...) is refused.
ALLOWED_UPLOADS = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "gif": {"image/gif"},
    "webp": {"image/webp"},
    "txt": {"text/plain"},
    "csv": {"text/plain", "text/csv"},
    "docx": {OOXML + "wordprocessingml.document"} | ZIP_LIKE,
    "xlsx": {OOXML + "spreadsheetml.sheet"} | ZIP_LIKE,
    "odt": {ODF + "text"} | ZIP_LIKE,
    "ods": {ODF + "spreadsheet"} | ZIP_LIKE,
}

# the fields the portal's tables of service orders read (service_orders_table): fetched with
# the search, in one query instead of a search and a read
PORTAL_ORDER_LIST_FIELDS = [
    "name",
    "kind",
    "state",
    "date_start",
    "date_end",
    "partner_id",
    "site_id",
    "equipment_id",
    "description",
]
# the fields the portal's equipment tables read (service_equipment_table)
PORTAL_EQUIPMENT_LIST_FIELDS = [
    "name",
    "serial_number",
    "model",
    "site_id",
    "next_maintenance_date",
]
