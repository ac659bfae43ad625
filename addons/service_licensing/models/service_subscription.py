import hashlib
import json
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta

import stripe
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.addons.service_portal.models.locking import lock_skip_locked
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html

_logger = logging.getLogger(__name__)

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
# What a customer's admin may ask for a subscription (support does it, never the portal).
CHANGE_KINDS = ("cancel", "reduce")
# Subscriptions that can no longer be cancelled or reduced.
ENDED_STATES = ("canceled", "incomplete_expired")
CHANGE_COMMENT_MAX_LENGTH = 2000
# Markup in a comment (a tag, a comment, a doctype): refused, the comment is plain text.
MARKUP_RE = re.compile(r"<\s*[/!?a-zA-Z]")


class ServiceSubscription(models.Model):
    _name = "service.subscription"
    _description = "Licence Subscription"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("is_job_site", "=", False), ("parent_id", "=", False)],
        help="The customer organisation (a commercial partner) that bought the licences.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Plan",
        required=True,
        tracking=True,
        ondelete="restrict",
        domain=[("service_plan_kind", "!=", False)],
    )
    plan_kind = fields.Selection(related="product_id.service_plan_kind", store=True)
    plan_name = fields.Char(related="product_id.name", string="Plan Name")
    quantity = fields.Integer(
        string="Bought",
        default=1,
        required=True,
        tracking=True,
        help="How many technician licences (or add-on units) the customer pays for.",
    )
    quantity_allocated = fields.Integer(
        string="Allocated",
        compute="_compute_quantity_allocated",
        store=True,
        help="Licences allocated to technicians (revoked ones excluded).",
    )
    quantity_free = fields.Integer(string="Free", compute="_compute_quantity_free")
    license_ids = fields.One2many("service.license", "subscription_id", string="Licences")
    state = fields.Selection(
        STRIPE_STATUSES,
        string="Status",
        default="incomplete",
        required=True,
        tracking=True,
        index=True,
        help="The status of the subscription in Stripe, as its webhooks report it.",
    )
    date_start = fields.Date(string="Start Date", tracking=True)
    date_end = fields.Date(
        string="End Date", tracking=True, help="End of the period paid for, or cancellation date."
    )
    payment_mode = fields.Selection(
        [("card", "Card (Stripe)"), ("on_account", "On account")],
        default="card",
        required=True,
    )
    stripe_customer_id = fields.Char(copy=False, groups="base.group_user")
    stripe_subscription_id = fields.Char(copy=False, readonly=True, groups="base.group_user")
    stripe_synced_at = fields.Integer(
        groups="base.group_user",
        string="Stripe State Time",
        copy=False,
        readonly=True,
        help="Creation time (Unix) of the newest Stripe event applied: older events that arrive "
        "late are ignored.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    payment_failed_since = fields.Datetime(
        copy=False,
        readonly=True,
        tracking=True,
        help="When Stripe first failed to collect a payment that is still unpaid. After the "
        "grace period the technicians' access is suspended.",
    )
    access_suspended = fields.Boolean(
        copy=False,
        readonly=True,
        tracking=True,
        help="The account is overdue beyond the grace period: the technicians of this "
        "subscription cannot work until it is paid.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The order of a plan bought on account.",
    )
    invoice_ids = fields.One2many(
        "account.move",
        "service_subscription_id",
        string="Invoices",
        readonly=True,
        groups="base.group_user",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count", groups="base.group_user")
    payment_event_at = fields.Integer(
        groups="base.group_user",
        copy=False,
        readonly=True,
        help="Creation time (Unix) of the newest Stripe invoice event applied.",
    )

    _stripe_subscription_uniq = models.UniqueIndex(
        "(stripe_subscription_id) WHERE stripe_subscription_id IS NOT NULL",
        "This Stripe subscription is already recorded.",
    )
    _quantity_positive = models.Constraint(
        "CHECK (quantity >= 0)", "The quantity bought cannot be negative."
    )

    def _portal_state_label(self):
        """The status as the customer reads it (Stripe's words are for the staff)."""
        self.ensure_one()
        labels = {
            "incomplete": self.env._("Payment pending"),
            "incomplete_expired": self.env._("Payment failed"),
            "trialing": self.env._("Trial"),
            "active": self.env._("Active"),
            "past_due": self.env._("Payment overdue"),
            "unpaid": self.env._("Unpaid"),
            "canceled": self.env._("Cancelled"),
            "paused": self.env._("Paused"),
        }
        return labels.get(self.state, "")

    @api.depends("product_id", "partner_id", "quantity")
    def _compute_display_name(self):
        for subscription in self:
            subscription.display_name = self.env._(
                "%(plan)s x %(quantity)s, %(customer)s",
                plan=subscription.product_id.name or "",
                quantity=subscription.quantity,
                customer=subscription.partner_id.name or "",
            )

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for subscription in self:
            subscription.invoice_count = len(subscription.invoice_ids)

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice")
        action["domain"] = [("service_subscription_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.depends("license_ids.state")
    def _compute_quantity_allocated(self):
        counts = dict(
            self.env["service.license"]._read_group(
                [("subscription_id", "in", self.ids), ("state", "in", SEAT_STATES)],
                ["subscription_id"],
                ["__count"],
            )
        )
        for subscription in self:
            subscription.quantity_allocated = counts.get(subscription, 0)

    @api.depends("quantity", "quantity_allocated")
    def _compute_quantity_free(self):
        for subscription in self:
            subscription.quantity_free = max(
                subscription.quantity - subscription.quantity_allocated, 0
            )

    @api.constrains("partner_id")
    def _check_partner_is_commercial(self):
        for subscription in self:
            if subscription.partner_id != subscription.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Subscriptions belong to the customer organisation: choose "
                        "%(customer)s rather than its contact %(contact)s.",
                        customer=subscription.partner_id.commercial_partner_id.display_name,
                        contact=subscription.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Access of the customer's admins
    # ------------------------------------------------------------------

    def _check_licensing_admin(self):
        """Raise unless the current user may manage these subscriptions.

        Staff with the licensing group may; a portal user may when they are an owner or a
        secondary owner of the subscriptions' customer.
        """
        user = self.env.user
        if user.has_group("service_licensing.group_licensing_manager"):
            return
        customer = user.partner_id.service_admin_customer_id
        if not customer or any(sub.partner_id != customer for sub in self):
            raise AccessError(
                self.env._("Only the owner and the secondary owners manage licences.")
            )

    @api.model
    def _portal_catalog(self):
        """The plans and add-ons sold from Your Purchases (``_start_checkout`` sells
        nothing else)."""
        return (
            self.env["product.template"]
            .sudo()
            .search(
                [("service_plan_kind", "!=", False), ("sale_ok", "=", True)],
                order="service_plan_kind, list_price, id",
            )
        )

    @api.model
    def _portal_seat_subscriptions(self, customer):
        """The subscriptions of ``customer`` whose licences its admins allocate: licence
        plans (not add-ons) that are running."""
        return self.search(
            [
                ("partner_id", "=", customer.id),
                ("plan_kind", "in", ("monthly", "annual")),
                ("state", "in", ("trialing", "active")),
            ]
        )

    # ------------------------------------------------------------------
    # Licence allocation
    # ------------------------------------------------------------------

    def _lock_for_allocation(self, nowait=False):
        """Lock the subscription row until the end of the transaction.

        Concurrent allocations on the same subscription wait here for each other. Odoo runs
        transactions in REPEATABLE READ: a transaction that waited for the lock while another
        one allocated (and so updated this row, see `quantity_allocated`) fails with a
        serialization error and is retried from scratch by Odoo with fresh data, so the count
        below never misses a licence allocated concurrently.

        With ``nowait``, a row locked by another transaction raises LockNotAvailable at once
        (webhooks defer their event to the cron rather than wait).
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR UPDATE %s",
                SQL.identifier(self._table),
                self.id,
                SQL("NOWAIT" if nowait else ""),
            ),
            # Failing here is expected under contention (the transaction is retried, or the
            # webhook event deferred): not an error to log.
            log_exceptions=False,
        )

    def _allocate_license(self, values):
        """Allocate one licence of this subscription to a technician.

        :param dict values: ``name``, ``email``, and optionally ``device_type`` and ``state``
            (allocated or paused)
        :return: the new ``service.license``
        :raise UserError: with a message for the admin when it cannot be done
        """
        self.ensure_one()
        self._check_licensing_admin()
        sub = self.sudo()
        License = self.env["service.license"].sudo()
        values = License._clean_portal_values(values, required=("name", "email"))
        sub._lock_for_allocation()
        sub.invalidate_recordset(["quantity_allocated", "state", "quantity", "access_suspended"])
        if sub.state not in ALLOCATABLE_STATES:
            raise UserError(
                self.env._(
                    "Licences of %(plan)s cannot be allocated while the subscription is %(state)s.",
                    plan=sub.product_id.name,
                    state=dict(STRIPE_STATUSES)[sub.state].lower(),
                )
            )
        if sub.access_suspended:
            raise UserError(
                self.env._(
                    "The account is overdue: licences can be allocated again once it is settled."
                )
            )
        if sub.plan_kind == "addon":
            raise UserError(self.env._("An add-on module does not give technician licences."))
        allocated = License.search_count(
            [("subscription_id", "=", sub.id), ("state", "in", SEAT_STATES)]
        )
        if allocated >= sub.quantity:
            raise UserError(
                self.env._(
                    "All %(count)s licences of %(plan)s are allocated: buy more licences or "
                    "remove a technician first.",
                    count=sub.quantity,
                    plan=sub.product_id.name,
                )
            )
        user = (
            self.env["res.users"]
            .sudo()
            ._service_technician_user(sub.partner_id, values["name"], values["email"])
        )
        if License._service_held_by(sub.partner_id, user, values["email"]):
            raise FieldUserError(
                self.env._("%(email)s already holds a licence.", email=values["email"]), "email"
            )
        license_ = License.create(
            {
                **values,
                "subscription_id": sub.id,
                "user_id": user.id or False,
                "date_allocated": fields.Datetime.now(),
            }
        )
        # Writes quantity_allocated on the locked row: concurrent allocators must retry.
        license_.flush_recordset()
        sub.flush_recordset(["quantity_allocated"])
        license_._send_onboarding()
        return license_.sudo(False)

    # ------------------------------------------------------------------
    # Cancellation and reduction requests
    # ------------------------------------------------------------------

    def _check_change_request(self, kind, quantity=None, comment=None):
        """Validate a cancellation or reduction request of the customer's admin.

        :param str kind: ``cancel`` or ``reduce``
        :param quantity: for ``reduce``, the number of licences to keep, as typed
        :param comment: optional plain text
        :return: ``(kind, quantity or None, comment)`` cleaned
        :raise UserError: with a message for the admin
        """
        self.ensure_one()
        sub = self.sudo()
        if kind not in CHANGE_KINDS:
            raise FieldUserError(
                self.env._("Choose whether to cancel the subscription or to keep fewer licences."),
                "kind",
            )
        if sub.state in ENDED_STATES:
            raise UserError(
                self.env._("This subscription has ended: there is nothing to cancel or reduce.")
            )
        comment = (comment or "").strip() if isinstance(comment, str) else ""
        if len(comment) > CHANGE_COMMENT_MAX_LENGTH:
            raise FieldUserError(
                self.env._(
                    "The comment is too long: %(max)s characters at most.",
                    max=CHANGE_COMMENT_MAX_LENGTH,
                ),
                "comment",
            )
        if MARKUP_RE.search(comment):
            raise FieldUserError(
                self.env._("The comment must be plain text: please remove the < > markup."),
                "comment",
            )
        if kind == "cancel":
            return kind, None, comment
        lowest = max(sub.quantity_allocated, 1)
        highest = sub.quantity - 1
        if highest < lowest:
            raise UserError(
                self.env._(
                    "All %(count)s licences are allocated: remove technicians first, or ask to "
                    "cancel the subscription.",
                    count=sub.quantity,
                )
                if sub.quantity_allocated >= sub.quantity
                else self.env._("This subscription has a single licence: ask to cancel it instead.")
            )
        try:
            wanted = int(str(quantity or "").strip())
        except ValueError:
            wanted = None
        if wanted is None or not lowest <= wanted <= highest:
            raise FieldUserError(
                self.env._(
                    "Enter the number of licences to keep: a whole number from %(lowest)s to "
                    "%(highest)s (%(allocated)s are allocated, %(bought)s bought).",
                    lowest=lowest,
                    highest=highest,
                    allocated=sub.quantity_allocated,
                    bought=sub.quantity,
                ),
                "quantity",
            )
        return kind, wanted, comment

    def _request_change(self, kind, quantity=None, comment=None, use_helpdesk=None):
        """Ask the service company to cancel this subscription or reduce its licences.

        Nothing about the subscription changes here: support does it (in Stripe, or on the
        sales order of an on-account plan). Where ``service_helpdesk`` is installed the request
        is a support request the customer follows in the portal; otherwise the licensing
        managers are notified on the subscription's chatter (and by email).

        :param bool use_helpdesk: force the channel (tests); by default, a support request
            when ``service_helpdesk`` is installed
        :return: the ``service.ticket`` created, or ``None`` when the managers were notified
        :raise UserError: with a message for the admin when the request is not valid
        """
        self.ensure_one()
        self._check_licensing_admin()
        kind, wanted, comment = self._check_change_request(kind, quantity, comment)
        has_helpdesk = "service.ticket" in self.env.registry
        use_helpdesk = has_helpdesk if use_helpdesk is None else use_helpdesk and has_helpdesk
        sub = self.sudo()
        requester = self.env.user.partner_id
        if kind == "cancel":
            subject = self.env._("Cancel my subscription: %(plan)s", plan=sub.product_id.name)
            summary = self.env._(
                "%(name)s asks to cancel the subscription %(plan)s (%(count)s licences, "
                "%(allocated)s allocated) of %(customer)s.",
                name=requester.name,
                plan=sub.product_id.name,
                count=sub.quantity,
                allocated=sub.quantity_allocated,
                customer=sub.partner_id.name,
            )
        else:
            subject = self.env._(
                "Reduce my subscription %(plan)s to %(wanted)s licences",
                plan=sub.product_id.name,
                wanted=wanted,
            )
            summary = self.env._(
                "%(name)s asks to reduce the subscription %(plan)s of %(customer)s from "
                "%(count)s to %(wanted)s licences (%(allocated)s allocated).",
                name=requester.name,
                plan=sub.product_id.name,
                customer=sub.partner_id.name,
                count=sub.quantity,
                wanted=wanted,
                allocated=sub.quantity_allocated,
            )
        details = self.env._(
            "Subscription #%(id)s, %(mode)s, Stripe subscription %(stripe)s.",
            id=sub.id,
            mode=dict(sub._fields["payment_mode"].selection)[sub.payment_mode],
            stripe=sub.stripe_subscription_id or "-",
        )
        body = Markup("<p>%s</p><p>%s</p>") % (summary, details)
        if comment:
            body += Markup("<p>%s</p>") % self.env._("Comment:") + plaintext2html(comment)
        if use_helpdesk:
            ticket = self._create_change_ticket(subject, body, requester)
            sub.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(summary)s Support request %(ticket)s.", summary=summary, ticket=ticket.name
                ),
                author_id=requester.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            return ticket
        managers = (
            self.env.ref("service_licensing.group_licensing_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share)
            .partner_id
        )
        sub.message_post(
            body=body,
            subject=subject,
            author_id=requester.id,
            partner_ids=managers.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return None

    def _create_change_ticket(self, subject, body, requester):
        """The support request of a change, written as superuser (portal contacts only read
        requests), filed by the admin for the customer (and their job site, if they belong
        to one, so that they see it)."""
        self.ensure_one()
        Ticket = self.env["service.ticket"].sudo()
        site = requester._service_job_site()
        ticket_type = self.env.ref(
            "service_helpdesk.ticket_type_question", raise_if_not_found=False
        )
        return Ticket.create(
            {
                "subject": subject,
                "description": body,
                "partner_id": self.sudo().partner_id.id,
                "site_id": site.id if site and site != requester else False,
                "requester_id": requester.id,
                "type_id": ticket_type.id if ticket_type else False,
            }
        )

    # ------------------------------------------------------------------
    # Stripe
    # ------------------------------------------------------------------

    @api.model
    def _stripe_client(self):
        return self.env["payment.provider"]._service_stripe_client()

    @api.model
    def _stripe_idempotency_key(self, *parts, params=None):
        """A key for one Stripe request: the same request retried gets the same answer, a
        changed one (other params) a new key rather than Stripe's idempotency error."""
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        if params is not None:
            digest = hashlib.sha256(
                json.dumps(params, sort_keys=True, default=str).encode()
            ).hexdigest()
            parts = (*parts, digest[:32])
        return "-".join(str(part) for part in ("service", dbuuid[:8], *parts))

    @api.model
    def _stripe_error_message(self, error):
        """What to tell the user of a failed Stripe call (nothing was charged either way).

        A refusal of our request (4xx: a wrong price id, no billing-portal configuration, a
        revoked key) will not go away by trying again: staff see Stripe's message, customers a
        plain sentence, and Stripe's message is logged for the administrators. Anything else
        (Stripe unreachable, a 5xx, too many requests) is worth trying again later.
        """
        status = getattr(error, "http_status", None)
        refused = isinstance(error, stripe.StripeError) and (
            status is not None and 400 <= status < 500 and status != 429
        )
        if not refused:
            _logger.warning("Stripe could not be reached: %s", error)
            return self.env._(
                "Stripe could not be reached; nothing was charged. Please try again in a few "
                "minutes."
            )
        stripe_message = getattr(error, "user_message", None) or str(error)
        _logger.warning("Stripe refused a request (HTTP %s): %s", status, stripe_message)
        if self.env.user.has_group("service_licensing.group_licensing_manager"):
            return self.env._(
                "Stripe refused the request (HTTP %(status)s): %(message)s",
                status=status,
                message=stripe_message,
            )
        return self.env._(
            "Online payment is not possible at the moment because of a problem in our payment "
            "settings; nothing was charged. We have been told and will fix it: please contact "
            "us if you need it sooner."
        )

    @api.model
    def _stripe_customer_for(self, customer):
        """The Stripe customer id of an organisation, created in Stripe at the first purchase.

        The id is committed at once, in a transaction of its own: if what follows fails (and
        the request's transaction is rolled back), the next attempt reuses the customer.
        Before creating one, Stripe is asked for a customer of this organisation (a previous
        attempt whose answer was lost), so that the organisation has one Stripe customer.
        """
        customer = customer.sudo()
        if customer.service_stripe_customer_id:
            return customer.service_stripe_customer_id
        client = self._stripe_client()
        found = client.v1.customers.search(
            params={"query": f"metadata['odoo_partner_id']:'{customer.id}'", "limit": 1}
        )
        if found.data:
            stripe_customer_id = found.data[0].id
        else:
            params = {
                "name": customer.name,
                "email": customer.email or "",
                "metadata": {"odoo_partner_id": str(customer.id)},
            }
            stripe_customer_id = client.v1.customers.create(
                params=params,
                # A retry of the same request finds the same customer; a changed one (the
                # name was corrected) gets a new key, not Stripe's idempotency error.
                options={
                    "idempotency_key": self._stripe_idempotency_key(
                        "customer", customer.id, params=params
                    )
                },
            ).id
        with self.env.registry.cursor() as cr:
            self.env(cr=cr)["res.partner"].sudo().browse(customer.id).write(
                {"service_stripe_customer_id": stripe_customer_id}
            )
        customer.invalidate_recordset(["service_stripe_customer_id"])
        return stripe_customer_id

    @api.model
    def _start_checkout(self, customer, product, quantity, success_url, cancel_url):
        """Create a Stripe Checkout session for ``quantity`` of ``product``; return its URL.

        Nothing is recorded locally before the payment: the subscription is created from the
        webhook (checkout.session.completed or customer.subscription.created, whichever comes
        first), with the metadata sent here.
        """
        self.env["service.subscription"].browse()._check_buyer(customer)
        product = product.sudo()
        if not product.service_plan_kind or not product.sale_ok:
            raise UserError(self.env._("This product is not sold online."))
        if quantity < 1 or quantity > 1000:
            raise FieldUserError(self.env._("Choose a quantity between 1 and 1000."), "quantity")
        metadata = {
            "odoo_partner_id": str(customer.id),
            "odoo_product_id": str(product.id),
            "odoo_buyer_id": str(self.env.user.id),
        }
        try:
            stripe_customer_id = self._stripe_customer_for(customer)
            session = self._stripe_client().v1.checkout.sessions.create(
                params={
                    "mode": "subscription",
                    "customer": stripe_customer_id,
                    "client_reference_id": str(customer.id),
                    "line_items": [{"price": product.stripe_price_id, "quantity": quantity}],
                    "metadata": metadata,
                    "subscription_data": {"metadata": metadata},
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                },
                options={
                    "idempotency_key": self._stripe_idempotency_key(
                        "checkout", customer.id, product.id, quantity, uuid.uuid4().hex
                    )
                },
            )
        except stripe.StripeError as error:
            raise UserError(self._stripe_error_message(error)) from error
        return session.url

    @api.model
    def _on_account_order_values(self, customer, product, quantity):
        """The sales order an on-account purchase creates, checked: the review page shows it
        (unsaved) and the confirmation creates it, so both show the same amounts."""
        self.browse()._check_buyer(customer)
        product = product.sudo()
        if product.service_plan_kind != "annual" or not product.sale_ok:
            raise UserError(self.env._("Only annual plans can be bought on account."))
        if quantity < 1 or quantity > 1000:
            raise FieldUserError(self.env._("Choose a quantity between 1 and 1000."), "quantity")
        customer = customer.sudo()
        payment_term = customer.property_payment_term_id or self.env.ref(
            "account.account_payment_term_30days", raise_if_not_found=False
        )
        return {
            "partner_id": customer.id,
            "payment_term_id": payment_term.id if payment_term else False,
            "client_order_ref": self.env._("Portal purchase by %(name)s", name=self.env.user.name),
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": quantity})],
        }

    @api.model
    def _on_account_review(self, customer, product, quantity):
        """What buying ``quantity`` of the annual plan on account commits to, before anything
        is written: the unsaved sales order (plan, seats, price, taxes, payment terms) and
        the period it covers."""
        values = self._on_account_order_values(customer, product, quantity)
        order = self.env["sale.order"].sudo().new(values)
        today = fields.Date.context_today(self)
        return {
            "order": order,
            "line": order.order_line[:1],
            "date_start": today,
            "date_end": today + relativedelta(years=1, days=-1),
        }

    @api.model
    def _buy_on_account(self, customer, product, quantity):
        """Buy an annual plan on account: a confirmed sales order, its posted invoice with the
        customer's payment terms (30 days by default), and the active subscription.
        """
        values = self._on_account_order_values(customer, product, quantity)
        product = product.sudo()
        customer = customer.sudo()
        order = self.env["sale.order"].sudo().create(values)
        order.action_confirm()
        today = fields.Date.context_today(self)
        subscription = self.sudo().create(
            {
                "partner_id": customer.id,
                "product_id": product.id,
                "quantity": quantity,
                "state": "active",
                "payment_mode": "on_account",
                "date_start": today,
                "date_end": today + relativedelta(years=1, days=-1),
                "sale_order_id": order.id,
            }
        )
        invoice = order._create_invoices()
        invoice.service_subscription_id = subscription
        invoice.action_post()
        return subscription.sudo(False)

    @api.model
    def _start_billing_portal(self, customer, return_url):
        self.browse()._check_buyer(customer)
        stripe_customer_id = customer.sudo().service_stripe_customer_id
        if not stripe_customer_id:
            raise UserError(self.env._("There is no card billing to update yet."))
        try:
            session = self._stripe_client().v1.billing_portal.sessions.create(
                params={"customer": stripe_customer_id, "return_url": return_url},
                options={"idempotency_key": self._stripe_idempotency_key("portal", uuid.uuid4())},
            )
        except stripe.StripeError as error:
            raise UserError(self._stripe_error_message(error)) from error
        return session.url

    def _check_buyer(self, customer):
        user = self.env.user
        if user.has_group("service_licensing.group_licensing_manager"):
            return
        if user.partner_id.service_admin_customer_id != customer:
            raise AccessError(self.env._("Only the owner and the secondary owners buy licences."))

    @api.model
    def _stripe_date(self, timestamp):
        if not timestamp:
            return False
        return datetime.fromtimestamp(int(timestamp), UTC).date()

    @api.model
    def _sync_from_stripe(self, stripe_sub, event_created):
        """Create or update the subscription from a Stripe subscription object.

        :param dict stripe_sub: the Stripe subscription, as a dict
        :param int event_created: when Stripe produced this state (Unix time); older states
            than the one already applied are ignored
        :return: (subscription, applied)
        """
        subscription = self.sudo().search(
            [("stripe_subscription_id", "=", stripe_sub["id"])], limit=1
        )
        if subscription:
            subscription._lock_for_allocation(nowait=True)
            if subscription.stripe_synced_at and event_created < subscription.stripe_synced_at:
                return subscription, False
        items = (stripe_sub.get("items") or {}).get("data") or []
        item = items[0] if items else {}
        vals = {
            "state": stripe_sub["status"],
            "quantity": item.get("quantity") or stripe_sub.get("quantity") or 0,
            "stripe_customer_id": stripe_sub.get("customer"),
            "stripe_synced_at": event_created,
            "date_start": self._stripe_date(stripe_sub.get("start_date")),
            "date_end": self._stripe_date(
                stripe_sub.get("ended_at")
                or stripe_sub.get("cancel_at")
                or item.get("current_period_end")
                or stripe_sub.get("current_period_end")
            ),
        }
        if subscription:
            subscription.write(vals)
            return subscription, True
        metadata = stripe_sub.get("metadata") or {}
        customer = self.env["res.partner"].sudo().browse(int(metadata.get("odoo_partner_id", 0)))
        price_id = (item.get("price") or {}).get("id")
        product = (
            self.env["product.product"]
            .sudo()
            .search(
                [("stripe_price_id", "=", price_id), ("service_plan_kind", "!=", False)], limit=1
            )
        )
        if not customer.exists() or not product:
            raise UserError(
                self.env._(
                    "Stripe subscription %(sub)s names no known customer or plan "
                    "(metadata %(metadata)s, price %(price)s).",
                    sub=stripe_sub["id"],
                    metadata=metadata,
                    price=price_id,
                )
            )
        subscription = self.sudo().create(
            {
                **vals,
                "partner_id": customer.commercial_partner_id.id,
                "product_id": product.id,
                "payment_mode": "card",
                "stripe_subscription_id": stripe_sub["id"],
            }
        )
        return subscription, True

    # ------------------------------------------------------------------
    # Overdue accounts
    # ------------------------------------------------------------------

    def _licensing_admin_partners(self):
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("service_admin_role", "!=", False),
                ]
            )
        )

    def _accept_payment_event(self, event_created):
        """Whether an invoice event is newer than the last one applied (and note it if so)."""
        self.ensure_one()
        self._lock_for_allocation(nowait=True)
        if self.payment_event_at and event_created < self.payment_event_at:
            return False
        self.payment_event_at = event_created
        return True

    def _on_payment_failed(self, invoice_ref):
        """Remind the customer's admins; start the grace period at the first failure."""
        self.ensure_one()
        if not self.payment_failed_since:
            self.payment_failed_since = fields.Datetime.now()
        self.message_post(
            body=self.env._("Stripe could not collect invoice %(invoice)s.", invoice=invoice_ref)
        )
        template = self.env.ref("service_licensing.mail_template_payment_failed")
        template.send_mail(self.id)

    def _on_invoice_paid(self, invoice_ref):
        """The account is settled: end the grace period and restore a suspended access."""
        self.ensure_one()
        self.message_post(
            body=self.env._("Stripe collected invoice %(invoice)s.", invoice=invoice_ref)
        )
        self.payment_failed_since = False
        if self.access_suspended:
            self._restore_access()

    @api.model
    def _grace_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("service_licensing.overdue_grace_days", DEFAULT_GRACE_DAYS)
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return DEFAULT_GRACE_DAYS

    @api.model
    def _cron_suspend_overdue(self):
        limit = fields.Datetime.now() - timedelta(days=self._grace_days())
        overdue = self.search(
            [
                ("payment_failed_since", "!=", False),
                ("payment_failed_since", "<=", limit),
                ("access_suspended", "=", False),
            ]
        )
        # suspended (and announced) once, whichever node runs this
        overdue = lock_skip_locked(overdue)
        overdue._suspend_access()
        return overdue

    def _suspend_access(self):
        self.write({"access_suspended": True})
        for subscription in self:
            subscription.message_post(
                body=self.env._(
                    "Overdue beyond the grace period: the technicians' access is suspended "
                    "until the account is settled."
                )
            )
        held = self.license_ids.filtered(lambda lic: lic.state in SEAT_STATES)
        held.user_id._service_drop_technician_access()

    def _restore_access(self):
        self.write({"access_suspended": False})
        for subscription in self:
            subscription.message_post(
                body=self.env._("The account is settled: the technicians' access is restored.")
            )
        held = self.license_ids.filtered(lambda lic: lic.state in SEAT_STATES)
        held.user_id.filtered(
            lambda user: not user.active and user.service_technician_account
        ).write({"active": True})

    # ------------------------------------------------------------------
    # Accounting: Stripe invoices and payments in Odoo Invoicing
    # ------------------------------------------------------------------

    def _record_stripe_invoice(self, invoice, paid):
        """The posted customer invoice (or credit note) of a Stripe invoice of this
        subscription, created once, to the cent; paid and reconciled if ``paid``."""
        self.ensure_one()
        return self.env["service.stripe.accounting"]._record_invoice(
            invoice, self.partner_id, subscription=self, paid=paid
        )
