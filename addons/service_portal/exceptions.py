from odoo.exceptions import UserError


class FieldUserError(UserError):
    """A UserError about one field of a portal form: the page that shows the message also
    marks that field (aria-invalid, aria-describedby pointing at the message), so that a
    screen reader user knows which field to fix. Everything catching UserError still
    catches it."""

    def __init__(self, message, field):
        super().__init__(message)
        self.field = field


def error_field(error):
    """The form field a UserError is about, or None."""
    return getattr(error, "field", None)
