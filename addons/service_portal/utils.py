"""Pure helpers of the service portal: no environment, no request."""

import os
from datetime import time

from odoo.tools.mimetypes import guess_mimetype

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
