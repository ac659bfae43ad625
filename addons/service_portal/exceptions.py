from odoo.exceptions import UserError


class FieldUserError(UserError):
    """A UserError about fields of a portal form: the page that shows the message also
    marks the field (aria-invalid, aria-describedby pointing at the message), so that a
    screen reader user knows which field to fix. Everything catching UserError still
    catches it.

    A form checked as a whole refuses every wrong field at once: ``errors`` maps each
    refused field to its own message (``message`` and ``field`` are the first of them)."""

    def __init__(self, message, field, errors=None):
        super().__init__(message)
        self.field = field
        self.errors = dict(errors or {field: message})

    @classmethod
    def from_errors(cls, errors):
        """One error for the refused fields of ``errors`` ({field: message}, in the form's
        order), to raise when it is not empty."""
        field, message = next(iter(errors.items()))
        return cls(message, field, errors)


def error_field(error):
    """The form field a UserError is about, or None."""
    return getattr(error, "field", None)


def error_fields(error):
    """Every form field a UserError is about, with its message: {field: message}."""
    return dict(getattr(error, "errors", None) or {})
