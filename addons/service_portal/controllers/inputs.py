"""The input layer of the portal and public pages of the service addons.

Every website route of a controller of these addons gets its parameters through
``clean_route_params`` (called by ``ir.http._dispatch``) before the controller sees them:
control characters (a NUL byte ends a PostgreSQL string) are removed, an oversized value is
refused, an id in the path beyond PostgreSQL's integer answers 404,
a page number (path or query) is clamped to the pages a pager can show, and a list or an
object sent where the route takes one value answers 400. Controllers parse
what is left with the functions below, so that every form gives the same clear messages.
"""

import inspect
from datetime import datetime

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest, NotFound

from odoo.exceptions import UserError
from odoo.http import request

from ..const import (
    ALLOWED_UPLOADS,
    CONTROL_CHARS,
    DATE_YEARS,
    LINE_BREAKS,
    MAX_PAGE,
    MAX_PARAM_LENGTH,
    MAX_UPLOAD_FILES,
    MAX_UPLOAD_SIZE,
    PG_INT_MAX,
    SERVICE_MODULES,
)
from ..utils import sniff_mimetype, upload_extension, upload_name


def is_service_endpoint(endpoint):
    """Whether a route is a website page of (or overridden by) the service addons."""
    if not endpoint.routing.get("website"):
        return False
    controller = getattr(endpoint.func, "__self__", None)
    name = endpoint.func.__name__
    return any(
        name in vars(cls) and cls.__module__.split(".")[2] in SERVICE_MODULES
        for cls in type(controller).__mro__
        if cls.__module__.startswith("odoo.addons.")
    )


def _scalar_params(endpoint):
    signature = inspect.signature(endpoint.func)
    return {
        name
        for name, parameter in signature.parameters.items()
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
    }


def strip_controls(value):
    return CONTROL_CHARS.sub("", value)


def check_path_args(args):
    """Clamp a page number of the path, and answer 404 for an id PostgreSQL cannot hold."""
    for name, value in args.items():
        if isinstance(value, int) and not isinstance(value, bool):
            if name == "page":
                args[name] = max(1, min(value, MAX_PAGE))
            elif not 0 < value <= PG_INT_MAX:
                raise NotFound()


def clean_route_params(endpoint, params):
    """Return the parameters a service route is called with, cleaned (see module doc)."""
    scalars = _scalar_params(endpoint)
    cleaned = {}
    for name, value in params.items():
        if name in scalars and isinstance(value, FileStorage):
            continue  # a file under a text field's name: as if the field were empty
        cleaned[name] = _clean_value(endpoint, name, value, name in scalars)
        if name == "page" and name in scalars:
            # ?page=abc or a 20-digit page: a page the pager can show
            cleaned[name] = parse_page(cleaned[name])
    return cleaned


def _clean_value(endpoint, name, value, scalar):
    env = request.env
    if isinstance(value, str):
        if len(value) > MAX_PARAM_LENGTH and endpoint.routing["type"] == "http":
            raise BadRequest(env._("The field %(name)s is too long.", name=name))
        return strip_controls(value)
    if scalar and isinstance(value, (list, dict)):
        raise BadRequest(env._("The field %(name)s takes a single value.", name=name))
    if isinstance(value, list):
        return [strip_controls(item) if isinstance(item, str) else item for item in value]
    return value


# ----------------------------------------------------------------------------------------
# Parsing, for the controllers
# ----------------------------------------------------------------------------------------


def clean_text(value, limit=None, label=None, single_line=False):
    """A text from a form: stripped, without control characters, at most ``limit``
    characters (longer raises a UserError naming ``label``). Not a text: ""."""
    if not isinstance(value, str):
        return ""
    value = strip_controls(value)
    if single_line:
        value = LINE_BREAKS.sub(" ", value)
    value = value.strip()
    if limit and len(value) > limit:
        raise UserError(
            request.env._(
                "%(field)s is too long: %(limit)s characters at most.",
                field=label or request.env._("The text"),
                limit=limit,
            )
        )
    return value


def kept_form(limit, **values):
    """What a form shows again after a refusal (``outcome.error(error, form=...)``): the
    texts among ``values``, each cut at ``limit`` characters; anything else (a missing
    value, a file) is left out."""
    return {key: value[:limit] for key, value in values.items() if isinstance(value, str)}


def parse_id(value):
    """A record id from a form or a query string, or None when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip()[:12])
    else:
        return None
    return number if 0 < number <= PG_INT_MAX else None


def parse_int(value, default, minimum, maximum):
    """An integer from a form, clamped to [minimum, maximum]; ``default`` when absent or
    not a number."""
    if isinstance(value, str):
        value = value.strip()
        if value[:1] in "+-" and value[1:].isdigit():
            value = int(value[:13])
        elif value.isdigit():
            value = int(value[:12])
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(minimum, min(value, maximum))


def parse_page(value):
    return parse_int(value, 1, 1, MAX_PAGE)


def parse_local_datetime(value, error_message):
    """A datetime-local value from the browser (``YYYY-MM-DDTHH:MM``) as a naive datetime,
    within sane years; raises a UserError with ``error_message`` otherwise."""
    if isinstance(value, str):
        text = strip_controls(value).strip().replace("T", " ")
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                moment = datetime.strptime(text[:19], pattern)
            except ValueError:
                continue
            if DATE_YEARS[0] <= moment.year <= DATE_YEARS[1]:
                return moment
    raise UserError(error_message)


def read_uploads(files):
    """The files of a form as ``(name, bytes)`` pairs, checked against the one upload policy
    of the portal (``const.ALLOWED_UPLOADS``, ``MAX_UPLOAD_FILES``, ``MAX_UPLOAD_SIZE``):
    the type is sniffed from the content, never taken from the browser. Raises a UserError
    naming the first file refused."""
    env = request.env
    if len(files) > MAX_UPLOAD_FILES:
        raise UserError(env._("Attach at most %(max)s files.", max=MAX_UPLOAD_FILES))
    uploads = []
    for file in files:
        name = upload_name(file.filename)
        content = file.read(MAX_UPLOAD_SIZE + 1)
        if len(content) > MAX_UPLOAD_SIZE:
            raise UserError(
                env._(
                    "%(file)s is too large: %(max)s MB at most per file.",
                    file=name,
                    max=MAX_UPLOAD_SIZE // (1024 * 1024),
                )
            )
        if not content:
            raise UserError(env._("%(file)s is empty.", file=name))
        accepted = ALLOWED_UPLOADS.get(upload_extension(name))
        if not accepted or sniff_mimetype(content) not in accepted:
            raise UserError(
                env._(
                    "%(file)s is not an accepted file. Accepted: %(types)s.",
                    file=name,
                    types=", ".join(sorted(ALLOWED_UPLOADS)),
                )
            )
        uploads.append((name, content))
    return uploads
