"""Pure helpers of the licensing flows."""

import math
from datetime import UTC, datetime

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_stripe import const as stripe_const
from odoo.addons.service_portal.exceptions import FieldUserError


def to_major_currency_units(minor_amount, currency):
    """A Stripe amount (minor units, Stripe's own decimals for its special currencies) in
    the currency's major units."""
    return payment_utils.to_major_currency_units(
        minor_amount or 0,
        currency,
        arbitrary_decimal_number=stripe_const.CURRENCY_DECIMALS.get(currency.name),
    )


def stripe_date(timestamp):
    """The UTC date of a Stripe timestamp (Unix time), or False."""
    if not timestamp:
        return False
    return datetime.fromtimestamp(int(timestamp), UTC).date()


def stripe_id(value):
    """The id of a Stripe object given expanded (a dict) or not (its id)."""
    return value.get("id") if isinstance(value, dict) else value


def positive_int(value):
    """A record id posted by a form, or 0 when it is none."""
    if isinstance(value, int):
        return value if value > 0 else 0
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return 0
    return int(text)


def parse_amount(env, value, maximum, field, label):
    """A positive number typed by the technician (comma or point as decimal separator),
    at most ``maximum``, to two decimals; FieldUserError naming ``field`` otherwise."""
    text = value.strip().replace(",", ".") if isinstance(value, str) else ""
    if not text:
        raise FieldUserError(env._("%(field)s: enter a number.", field=label), field)
    try:
        amount = float(text) if len(text) <= 20 else math.nan
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount):
        raise FieldUserError(
            env._("%(field)s: “%(value)s” is not a number.", field=label, value=text[:20]),
            field,
        )
    amount = round(amount, 2)
    if amount <= 0:
        raise FieldUserError(env._("%(field)s must be more than 0.", field=label), field)
    if amount > maximum:
        raise FieldUserError(
            env._("%(field)s: %(max)s at most per entry.", field=label, max=maximum), field
        )
    return amount
