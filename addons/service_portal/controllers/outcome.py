"""What the customer's last action did, told on the next page: the one way the three addons
report an outcome (post/redirect/get).

A route that changes something calls :func:`success` or :func:`error` and redirects; the
next portal page pops the outcome in ``ServicePortal._prepare_portal_layout_values`` and
``service_portal.service_outcome_alert`` shows it. Models decide and raise ``UserError``
(a ``FieldUserError`` names the form field); controllers only pass the error here. The
outcome lives in the session, not in the URL, so a reload or a shared link never repeats a
message and no query parameter can make a page claim something that did not happen.
"""

from odoo.http import request

from ..exceptions import error_field, error_fields

OUTCOME_SESSION_KEY = "service_portal_outcome"


def success(message, key=None):
    """Tell the next page that the action worked; ``key`` names what happened (the alert's
    id, for the tests and tours that wait for it)."""
    request.session[OUTCOME_SESSION_KEY] = {"kind": "success", "message": str(message), "key": key}


def error(exception, form=None):
    """Tell the next page why the action was refused; ``form`` (the submitted values,
    plain strings) lets the page fill the form again so nothing typed is lost."""
    message = exception.args[0] if getattr(exception, "args", None) else exception
    request.session[OUTCOME_SESSION_KEY] = {
        "kind": "danger",
        "message": str(message),
        "field": error_field(exception),
        "fields": error_fields(exception),
        "form": dict(form or {}),
    }


def pop():
    """The outcome of the last action, once: ``{'kind', 'message', 'field', 'fields',
    'form'}`` or None."""
    outcome = request.session.pop(OUTCOME_SESSION_KEY, None)
    if not outcome:
        return None
    return {"field": None, "fields": {}, "form": {}, "key": None, **outcome}


def layout_values():
    """The values every portal page gets from the outcome: ``service_outcome`` for the
    alert, ``service_error``/``service_error_field`` for the form that marks the field
    (aria-invalid), ``service_error_fields`` ({field: message}) for a form that marks every
    refused field, ``service_form`` for the values to fill in again."""
    outcome = pop()
    is_error = bool(outcome and outcome["kind"] == "danger")
    return {
        "service_outcome": outcome,
        "service_error": outcome["message"] if is_error else None,
        "service_error_field": outcome["field"] if is_error else None,
        "service_error_fields": outcome["fields"] if is_error else {},
        "service_form": outcome["form"] if is_error else {},
    }
