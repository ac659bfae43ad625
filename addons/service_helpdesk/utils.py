import html

from markupsafe import Markup, escape

from odoo.addons.service_portal.controllers import inputs

from . import const


def form_text(value):
    """A form value as text, without control characters: anything else (e.g. a file sent
    under a text field's name) is treated as empty."""
    return inputs.strip_controls(value) if isinstance(value, str) else ""


def parse_number(text):
    """A finite number from a form's text (a comma as the decimal mark too), or None."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if number != number or abs(number) == float("inf"):
        return None
    return number


def tsquery_lexeme(lexeme):
    """A lexeme as a quoted ``tsquery`` operand, taken as is (not normalized again)."""
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def highlight(snippet):
    """Escape a ts_headline snippet, then turn its markers into <mark> elements."""
    text = " ".join(str(escape(html.unescape(snippet or ""))).split())
    return Markup(text.replace(const.MARK_START, "<mark>").replace(const.MARK_STOP, "</mark>"))
