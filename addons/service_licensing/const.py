"""Constants of the licensing flows (plans, Stripe, licences, the technician workspace)."""

import re

# ------------------------------------------------------------------
# Plans and subscriptions
# ------------------------------------------------------------------

PLAN_KINDS = [
    ("monthly", "Monthly licence plan"),
    ("annual", "Annual licence plan"),
    ("addon", "Add-on module"),
]
# The statuses of a Stripe subscription, mirrored as they are.
STRIPE_STATUSES = [
    ("incomplete", "Incomplete"),
    ("incomplete_expired", "Incomplete (expired)"),
    ("trialing", "Trialing"),
    ("active", "Active"),
    ("past_due", "Past due"),
    ("unpaid", "Unpaid"),
    ("canceled", "Canceled"),
    ("paused", "Paused"),
]
# Licences can be allocated while the subscription is in one of these statuses.
ALLOCATABLE_STATES = ("trialing", "active")
# Licences that hold a seat: every one that is not revoked.
SEAT_STATES = ("allocated", "paused")
DEFAULT_GRACE_DAYS = 7
GRACE_DAYS_PARAM = "service_licensing.overdue_grace_days"
# What a customer's admin may ask for a subscription (support does it, never the portal).
CHANGE_KINDS = ("cancel", "reduce")
# Subscriptions that can no longer be cancelled or reduced.
ENDED_STATES = ("canceled", "incomplete_expired")
CHANGE_COMMENT_MAX_LENGTH = 2000
# Markup in a comment (a tag, a comment, a doctype): refused, the comment is plain text.
MARKUP_RE = re.compile(r"<\s*[/!?a-zA-Z]")

# ------------------------------------------------------------------
# Licences and admins
# ------------------------------------------------------------------

DEVICE_TYPES = [
    ("ios", "iPhone / iPad"),
    ("android", "Android"),
    ("windows", "Windows"),
    ("other", "Other"),
]
# What a customer's admin may choose in the portal; "revoked" is reached by removing.
ADMIN_STATES = ("allocated", "paused")
NAME_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254

# ------------------------------------------------------------------
# Stripe API
# ------------------------------------------------------------------

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_TIMEOUT = 20  # seconds; a portal user is waiting for the answer
DEFAULT_NETWORK_RETRIES = 2
WEBHOOK_SECRETS_PARAM = "service_licensing.webhook_secrets"
# Same tolerance as payment_stripe: older signed payloads are refused (replays).
WEBHOOK_AGE_TOLERANCE = 10 * 60  # seconds

# ------------------------------------------------------------------
# Stripe webhook events
# ------------------------------------------------------------------

HANDLED_EVENTS = {
    "checkout.session.completed": "_handle_checkout_completed",
    "customer.subscription.created": "_handle_subscription_changed",
    "customer.subscription.updated": "_handle_subscription_changed",
    "customer.subscription.deleted": "_handle_subscription_changed",
    "invoice.paid": "_handle_invoice",
    "invoice.payment_failed": "_handle_invoice",
    "credit_note.created": "_handle_credit_note",
    "charge.refunded": "_handle_charge_refunded",
    "charge.dispute.created": "_handle_dispute",
    "charge.dispute.closed": "_handle_dispute",
    "payout.paid": "_handle_payout",
    "payout.failed": "_handle_payout",
}
MAX_ATTEMPTS = 10
# Stripe's ids and event types: printable ASCII, no spaces (an id is our idempotency key).
EVENT_ID_RE = re.compile(r"[\x21-\x7e]{1,255}")
EVENT_TYPE_RE = re.compile(r"[A-Za-z0-9_.\-]{1,255}")
# Stripe's objects nest a few levels (an invoice's line's tax's details): far more is not Stripe.
MAX_PAYLOAD_DEPTH = 32
MAX_TIMESTAMP = 2**31 - 1  # stripe_created is a PostgreSQL integer

# ------------------------------------------------------------------
# Stripe accounting
# ------------------------------------------------------------------

TAX_BEHAVIORS = [("exclusive", "Exclusive"), ("inclusive", "Inclusive")]
# Balance transactions whose amount is booked elsewhere when their event arrives (the
# dispute entries): a payout books only their fee.
DISPUTE_CATEGORIES = ("dispute", "dispute_reversal")
CHARGE_TYPES = ("charge", "payment")
REFUND_TYPES = ("refund", "payment_refund")
FEE_TYPES = ("stripe_fee", "stripe_fx_fee", "tax_fee")
PAYOUT_TYPES = ("payout", "payout_cancel", "payout_failure")

# ------------------------------------------------------------------
# The technician workspace
# ------------------------------------------------------------------

# What a technician may do to an order from the workspace, from which states.
TECHNICIAN_TRANSITIONS = {"in_progress": ("scheduled",), "done": ("scheduled", "in_progress")}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_COUNT = 5
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "image/heic")
# What a technician does not read of the orders assigned to them: the customer's commercial
# links, the customer's own requests, and the token that would open the order without a login.
TECHNICIAN_HIDDEN_FIELDS = frozenset(
    {
        "sale_order_id",
        "invoice_ids",
        "customer_request",
        "customer_request_date",
        "customer_request_note",
        "access_token",
    }
)
# The customer signs on the technician's device once the work has started: while it is under
# way (the technician shows what was done before leaving) or after it is marked done. Not
# before (nothing to sign for yet), not on a cancelled order.
TECHNICIAN_SIGN_STATES = ("in_progress", "done")
COMPLETED_TEMPLATE = "service_portal.mail_template_order_completed"
SUMMARY_TEMPLATE = "service_licensing.mail_template_work_summary"
# What one entry may say: enough for any real visit, small enough to catch a slip
# (a serial number typed in the quantity).
PART_MAX_QUANTITY = 1000
HOURS_MAX = 24
USAGE_NAME_MAX = 200
HISTORY_LIMIT = 10
DOCUMENTS_LIMIT = 20
