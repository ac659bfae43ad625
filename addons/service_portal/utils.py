"""Pure helpers of the service portal: no environment, no request."""

import os
from datetime import time

from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.sql import column_exists, rename_column

# ISO base media brands of HEIC/HEIF photos (iPhones' default), which Odoo does not sniff.
HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def hours_to_time(hours):
    """A float of hours (8.5) as a time of day (8:30); 24 or more is the end of the day."""
    minutes = round(hours * 60)
    if minutes >= 24 * 60:
        return time.max
    return time(minutes // 60, minutes % 60)


def like_escape(text):
    """``text`` as a literal in a (=)like pattern: typed characters are never wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def upload_name(filename):
    """The base name of an uploaded file (a browser may send a Windows path), at most 200
    characters; "file" when it has none."""
    return os.path.basename((filename or "").replace("\\", "/"))[:200] or "file"


def upload_extension(name):
    return os.path.splitext(name)[1].lstrip(".").lower()


def sniff_mimetype(content):
    """The type of an uploaded file read from its bytes, never from what the browser says
    (a renamed page or program is what its bytes are): Odoo's ``guess_mimetype``, plus the
    HEIC photos of phones."""
    if content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS:
        return "image/heic"
    return guess_mimetype(content, default="application/octet-stream")


def rename_fields(cr, renames):
    """For a migration script: rename fields of ours in place, ``{model: {old: new}}``: the
    column (when stored), the field's record and its xmlid, so that no value is lost and
    nothing that points at the field is recreated. Run again, it changes nothing."""
    for model, fields in renames.items():
        table = model.replace(".", "_")
        xmlid_prefix = f"field_{table}__"
        for old, new in fields.items():
            if column_exists(cr, table, old) and not column_exists(cr, table, new):
                rename_column(cr, table, old, new)
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s"
                " AND NOT EXISTS (SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s)",
                [new, model, old, model, new],
            )
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s"
                " AND NOT EXISTS (SELECT 1 FROM ir_model_data d WHERE d.model = 'ir.model.fields'"
                " AND d.name = %s AND d.module = ir_model_data.module)",
                [xmlid_prefix + new, xmlid_prefix + old, xmlid_prefix + new],
            )
