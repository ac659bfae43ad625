"""Pure helpers of the service portal: no environment, no request."""

import os
from datetime import time


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
