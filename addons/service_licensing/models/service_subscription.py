from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.addons.service_portal.models.locking import lock_skip_locked
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..const import (
    ALLOCATABLE_STATES,
    DEFAULT_GRACE_DAYS,
    GRACE_DAYS_PARAM,
    SEAT_STATES,
    STRIPE_STATUSES,
)


class ServiceSubscription(models.Model):
    _name = "service.subscription"
    _description = "Licence Subscription"
    _inherit = ["mail.thread", "mail.activity.mixin", "service.subscription.change.mixin"]
    _order = "date_start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("service_is_job_site", "=", False), ("parent_id", "=", False)],
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
    # Actions
    # ------------------------------------------------------------------

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice")
        action["domain"] = [("service_subscription_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

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

    # ------------------------------------------------------------------
    # Access of the customer's admins
    # ------------------------------------------------------------------

    def _check_licensing_admin(self):
        """Raise unless the current user may manage these subscriptions (see
        `res.partner._service_check_licensing_admin`)."""
        self.partner_id._service_check_licensing_admin()

    @api.model
    def _portal_catalog(self):
        """The plans and add-ons sold from Your Purchases (``payment.provider._service_stripe_start_checkout``
        sells nothing else)."""
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

    def _lock_for_update(self, nowait=False):
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
        sub._lock_for_update()
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
    # Overdue accounts
    # ------------------------------------------------------------------

    @api.model
    def _grace_days(self):
        return self.env["ir.config_parameter"]._service_get_int(
            GRACE_DAYS_PARAM, DEFAULT_GRACE_DAYS, minimum=0
        )

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
