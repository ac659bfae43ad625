from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..const import (
    ADDRESS_FIELD_LIMITS,
    PORTAL_EQUIPMENT_LIST_FIELDS,
    PORTAL_ORDER_LIST_FIELDS,
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "service.partner.email.mixin"]
    # Odoo's materialized path of the contact tree (parent_path, kept by the ORM on every
    # create and parent change, in SQL): `child_of` a partner becomes one `parent_path LIKE`
    # condition inside the query instead of one query per level of the tree. The portal
    # record rules (``scope_partner_id child_of`` the user's scope) are in every search and
    # access check of every portal page.
    _parent_store = True

    parent_path = fields.Char(index=True)
    service_is_job_site = fields.Boolean(
        string="Job Site",
        index=True,
        help="A place where the customer receives service. Contacts attached to a job site "
        "see only that site in the portal; contacts of the customer see every site.",
    )
    service_job_site_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Sites",
        domain=[("service_is_job_site", "=", True)],
    )
    service_job_site_count = fields.Integer(compute="_compute_service_job_site_count")
    service_customer_id = fields.Many2one(
        "res.partner",
        compute="_compute_service_partners",
        help="The customer organisation this contact or site belongs to.",
    )
    service_scope_partner_id = fields.Many2one(
        "res.partner",
        string="Portal Scope",
        compute="_compute_service_partners",
        help="What this contact may see in the portal: its job site if it is attached to one, "
        "else its whole customer organisation.",
    )

    service_notify_invoices = fields.Boolean(
        string="Email Me New Invoices", default=True, help="Portal notification preference."
    )
    service_notify_visit_reminders = fields.Boolean(
        string="Email Me Visit Reminders", default=True, help="Portal notification preference."
    )
    service_notify_order_updates = fields.Boolean(
        string="Email Me Order Status Changes", default=True, help="Portal notification preference."
    )

    service_use_company_address = fields.Boolean(
        compute="_compute_service_use_company_address",
        inverse="_inverse_service_use_company_address",
        help="On, the contact's address is its company's (or job site's), shown read-only in "
        "the portal; off, the contact keeps an address of its own.",
    )
    service_pending_email = fields.Char(
        copy=False,
        groups="base.group_user",
        help="A new email asked for from the portal, waiting for its verification.",
    )

    @api.depends("type", "parent_id")
    def _compute_service_use_company_address(self):
        for partner in self:
            partner.service_use_company_address = (
                bool(partner.parent_id) and partner.type == "contact"
            )

    def _inverse_service_use_company_address(self):
        for partner in self.filtered("parent_id"):
            # Odoo shares the parent's address with children of type "contact", and pushes
            # their address changes up to the parent: an own address needs another type.
            partner.type = "contact" if partner.service_use_company_address else "other"

    @api.depends("service_job_site_ids")
    def _compute_service_job_site_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("parent_id", "in", self.ids), ("service_is_job_site", "=", True)],
                ["parent_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.service_job_site_count = counts.get(partner, 0)

    @api.depends("service_is_job_site", "parent_id", "commercial_partner_id")
    def _compute_service_partners(self):
        for partner in self:
            site = partner._service_job_site()
            if site:
                partner.service_scope_partner_id = site
                partner.service_customer_id = (
                    site.parent_id.service_customer_id or site.commercial_partner_id
                )
            else:
                partner.service_scope_partner_id = partner.commercial_partner_id
                partner.service_customer_id = partner.commercial_partner_id

    @api.constrains("service_is_job_site", "parent_id")
    def _check_job_site_parent(self):
        for partner in self:
            if partner.service_is_job_site and not partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "The job site %(site)s must belong to a customer: set its parent company.",
                        site=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # a new job site joins its customer's list of sites in the narrowed users' rules
        customers = partners.filtered("service_is_job_site").parent_id
        if customers and customers._service_site_lists_read_by_rules():
            self.env.registry.clear_cache()
        return partners

    def write(self, vals):
        if not self._service_rule_trigger_fields() & vals.keys():
            return super().write(vals)
        # Clearing the registry's caches makes every worker of every node drop them all: only
        # when the write changes what a portal user's rules read, not on every contact move.
        # only the portal users at or below these partners read them in their rules
        portal_partners = self._service_portal_contacts(with_archived=True)
        before = {partner.id: partner._service_rule_inputs() for partner in portal_partners}
        placement = self._service_site_placement()
        result = super().write(vals)
        if portal_partners:
            portal_partners.invalidate_recordset()
        # the customers that gain a job site: their narrowed users' rules list their sites
        # (one that loses a site hides it from no one it should be shown to)
        gaining = self.filtered(
            lambda partner: (
                partner.service_is_job_site and placement[partner.id] != (True, partner.parent_id)
            )
        ).parent_id
        if any(
            partner._service_rule_inputs() != before[partner.id] for partner in portal_partners
        ) or (gaining and gaining._service_site_lists_read_by_rules()):
            self.env.registry.clear_cache()
        return result

    def action_view_job_sites(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Job Sites"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id), ("service_is_job_site", "=", True)],
            "context": {"default_parent_id": self.id, "default_is_job_site": True},
        }

    # ------------------------------------------------------------------
    # Job sites and portal scope
    # ------------------------------------------------------------------

    def _service_job_site(self):
        """The job site this partner is, or is attached to (an empty recordset if none)."""
        self.ensure_one()
        partner = self
        while partner:
            if partner.service_is_job_site:
                return partner
            partner = partner.parent_id
        return self.browse()

    def _service_portal_contacts(self, scope=None, with_archived=False):
        """The partners of the portal users at or below these partners (as superuser).

        :param scope: a partner (a job site, a customer): only the contacts who see it in
            the portal, whose portal scope is this partner or one of its ancestors.
        :param with_archived: count archived users and partners too.
        """
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=not with_archived)
            .search([("share", "=", True), ("partner_id", "child_of", self.ids)])
        )
        contacts = users.partner_id
        if scope is None:
            return contacts
        seen_from = self.browse()  # the scope and its ancestors
        partner = scope
        while partner:
            seen_from |= partner
            partner = partner.parent_id
        return contacts.filtered(lambda contact: contact.service_scope_partner_id in seen_from)

    @api.model
    def _service_portal_sites_domain(self):
        """The job sites the current portal user may see: the same scope as the record rules."""
        scope = self.env.user.partner_id.service_scope_partner_id
        return [("service_is_job_site", "=", True), ("id", "child_of", scope.id)]

    @api.model
    def _service_portal_sites(self, site_ids=None, limit=None, offset=0):
        # Odoo's partner rules let portal users read only their own company's contacts;
        # job sites are read as superuser within the user's scope.
        domain = Domain(self._service_portal_sites_domain())
        if site_ids is not None:
            domain &= Domain("id", "in", site_ids)
        return self.sudo().search(domain, order="name, id", limit=limit, offset=offset)

    @api.model
    def _service_portal_sites_count(self):
        return self.sudo().search_count(self._service_portal_sites_domain())

    @api.model
    def _service_site_tab_records(self, site, tab):
        """{kind: records} a tab of the job site ``site``'s portal page lists: "orders" on the
        service and install tabs, "equipment" and "documents" on theirs (100 at most). They
        are searched as the current user (``self.env``): the record rules choose them, even
        when ``site`` is read as superuser. Addons add their tabs."""
        if tab in ("service", "install"):
            kinds = ["service", "maintenance", "inspection"] if tab == "service" else ["install"]
            return {
                "orders": self.env["service.order"].search_fetch(
                    [("site_id", "=", site.id), ("kind", "in", kinds)],
                    PORTAL_ORDER_LIST_FIELDS,
                    limit=100,
                )
            }
        if tab == "equipment":
            return {
                "equipment": self.env["service.equipment"].search_fetch(
                    [("site_id", "=", site.id)], PORTAL_EQUIPMENT_LIST_FIELDS, limit=100
                )
            }
        if tab == "documents":
            return {
                "documents": self.env["service.document"].search(
                    [("site_id", "=", site.id)], limit=100
                )
            }
        return {}

    @api.model
    def _service_site_activity_counts(self, sites):
        """{site id: {activity: count}} of what is open at each site; addons add activities."""
        counts = {site.id: {"service": 0, "install": 0, "invoices": 0} for site in sites}
        Order = self.env["service.order"]
        for site, kind, count in Order._read_group(
            [("site_id", "in", sites.ids), ("is_open", "=", True)], ["site_id", "kind"], ["__count"]
        ):
            key = "install" if kind == "install" else "service"
            counts[site.id][key] += count
        Move = self.env["account.move"]
        if Move.has_access("read"):
            for shipping, count in Move._read_group(
                [
                    ("partner_shipping_id", "child_of", sites.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ["not_paid", "partial"]),
                ],
                ["partner_shipping_id"],
                ["__count"],
            ):
                site = shipping.sudo()._service_job_site()
                if site.id in counts:
                    counts[site.id]["invoices"] += count
        return counts

    @api.model
    def _service_site_activity_label(self, activity, count):
        """ "1 unpaid invoice", "2 unpaid invoices": an activity count of the job sites list,
        worded for its number; addons word theirs."""
        env = self.env
        if activity == "service":
            return (
                env._("1 service order")
                if count == 1
                else env._("%(count)s service orders", count=count)
            )
        if activity == "install":
            return env._("1 install") if count == 1 else env._("%(count)s installs", count=count)
        if activity == "invoices":
            return (
                env._("1 unpaid invoice")
                if count == 1
                else env._("%(count)s unpaid invoices", count=count)
            )
        return f"{count} {activity}"

    # ------------------------------------------------------------------
    # Record rules: cached per user, cleared only when a portal user's scope changes
    # ------------------------------------------------------------------

    def _service_rule_trigger_fields(self):
        """The partner fields whose change may change what the record rules of a portal
        user read from its partner (and its ancestors)."""
        return {"parent_id", "service_is_job_site", "is_company"}

    def _service_site_lists_read_by_rules(self):
        """Whether a narrowed portal user (a site contact, a technician) is under these
        partners: its partner rule lists the job sites of its customer, cached."""
        return any(
            partner.service_scope_partner_id != partner.commercial_partner_id
            for partner in self._service_portal_contacts(with_archived=True)
        )

    def _service_site_placement(self):
        return {partner.id: (partner.service_is_job_site, partner.parent_id) for partner in self}

    def _service_rule_inputs(self):
        """What the portal record rules read from a portal user's partner. Odoo caches the
        rules' domains per user (ir.rule._compute_domain), with these values in them."""
        self.ensure_one()
        return (self.service_scope_partner_id.id, self.commercial_partner_id.id)

    # ------------------------------------------------------------------
    # Notification preferences
    # ------------------------------------------------------------------

    @api.model
    def _service_notification_preferences(self):
        """{kind: (field, label)} of the emails a portal contact can turn off: the boolean
        field of res.partner that keeps the choice, and its label on /my/notifications.
        Addons add theirs."""
        return {
            "invoice": ("service_notify_invoices", self.env._("New invoices")),
            "visit_reminder": (
                "service_notify_visit_reminders",
                self.env._("A reminder the day before a visit"),
            ),
            "order": (
                "service_notify_order_updates",
                self.env._("Visits scheduled, moved or completed"),
            ),
        }

    def _service_wants_notification(self, kind):
        """The partners of self whose preferences accept emails of this kind (a key of
        _service_notification_preferences)."""
        field = self._service_notification_preferences()[kind][0]
        return self.filtered(field)

    def _portal_set_notification_preferences(self, wanted):
        """Save the choices of the preferences form: ``wanted`` holds the fields switched
        on; every other preference is turned off."""
        self.ensure_one()
        self.sudo().write(
            {
                field: field in wanted
                for field, _label in self._service_notification_preferences().values()
            }
        )

    @api.model
    def _service_filter_recipients(self, recipients, kind):
        """Drop, from mail.thread recipient data, the portal contacts who turned off
        emails of this kind; staff are never filtered."""
        shared_ids = [data["id"] for data in recipients if data.get("share")]
        wanted = self.browse(shared_ids).sudo()._service_wants_notification(kind)
        return [data for data in recipients if not data.get("share") or data["id"] in wanted.ids]

    # ------------------------------------------------------------------
    # Odoo's portal address form (/my/address, /my/address/submit)
    # ------------------------------------------------------------------

    def _can_be_edited_by_current_customer(self, **kwargs):
        """Narrow Odoo's rule for portal users to their own addresses.

        Odoo lets a portal user edit every address (type invoice, delivery or other) of their
        commercial partner. Here job sites are partners of type "other", and so is a contact
        that keeps an address of its own: with Odoo's rule a site contact could rewrite the
        email of a colleague or of another site, then take over its login or its portal scope.
        A portal user edits their own partner and the addresses they created under it, never a
        job site, a company, or a partner that has a login.
        """
        if not super()._can_be_edited_by_current_customer(**kwargs):
            return False
        current = self._get_current_partner(**kwargs)
        if self == current or not self.env.user.share:
            return True
        partner = self.sudo()
        return (
            partner.parent_id == current
            and partner.type in ("invoice", "delivery", "other")
            and not partner.service_is_job_site
            and not partner.is_company
            and not partner.with_context(active_test=False).user_ids
        )

    def _service_portal_address_values(self, form_data):
        """What Odoo's address form may write on this partner (empty for a new address)
        for the current user: ``(form data, new email to verify first or None)``."""
        user = self.env.user
        form_data = dict(form_data)
        if not user.share:
            return form_data, None
        # Odoo renames the contact's company from this form: a contact of a customer may
        # not rename the organisation that other contacts share.
        form_data.pop("company_name", None)
        if not self or self != user.partner_id:
            return form_data, None
        if self.service_use_company_address:
            # Shown read-only: whatever the form says, the company's address stays.
            for field in ("street", "street2", "city", "zip"):
                form_data[field] = self[field] or ""
            form_data["state_id"] = str(self.state_id.id or "")
            form_data["country_id"] = str(self.country_id.id or "")
        submitted = (form_data.get("email") or "").strip()
        if (
            submitted
            and submitted.lower() != (self.email or "").lower()
            and self._service_email_is_login()
        ):
            # The email is the login: it changes once the new address is verified.
            form_data["email"] = self.email
            return form_data, submitted
        return form_data, None

    @api.model
    def _service_check_address_values(self, values):
        """The address form's values this product refuses, besides Odoo's rules:
        ``(invalid fields, messages)``."""
        invalid, messages = set(), []
        too_long = {
            field
            for field, limit in ADDRESS_FIELD_LIMITS.items()
            if len(str(values.get(field) or "")) > limit
        }
        if too_long:
            invalid |= too_long
            messages.append(self.env._("Some fields are too long: shorten them."))
        if any(char in str(values.get("name") or "") for char in "<>{}"):
            invalid.add("name")
            messages.append(self.env._("Names may not contain < > { or }."))
        return invalid, messages

    def _portal_set_use_company_address(self, use):
        """The portal contact's switch between its company's address and one of its own."""
        self.ensure_one()
        if self.parent_id and self.env.user.share and self == self.env.user.partner_id:
            self.sudo().service_use_company_address = use

    # ------------------------------------------------------------------
    # Service requests at a job site (with arrival windows, see service_arrival)
    # ------------------------------------------------------------------

    def _service_new_visit_values(self):
        self.ensure_one()
        return {"kind": "service", "partner_id": self.service_customer_id.id, "site_id": self.id}

    def _portal_new_visit(self, in_scope=False):
        """The visit (a new record, not saved) the current portal user may ask for at this
        job site, to offer its arrival windows; an empty recordset when they may not."""
        self.ensure_one()
        Order = self.env["service.order"].sudo()
        if not self._service_can_request_service(in_scope=in_scope):
            return Order
        return Order.new(self._service_new_visit_values())

    def _service_can_request_service(self, in_scope=False):
        """Whether the current portal user may ask for a visit at this job site.

        :param in_scope: the caller found this site with ``_service_portal_sites`` in this
            request (the site page): the scope is not searched a second time.
        """
        self.ensure_one()
        user = self.env.user
        return bool(
            self.service_is_job_site
            and user.share
            and not user._is_public()
            and self.env["service.portal.settings"].get_shown_sections()["equipment_request"]
            and (in_scope or self.env["res.partner"]._service_portal_sites(site_ids=self.ids))
        )

    def _portal_request_site_service(self, description, windows=None):
        """Called from the portal: the customer asks for a visit at this job site, at one of
        the free arrival windows picked. Returns the draft order for the dispatchers."""
        self.ensure_one()
        if not self._service_can_request_service():
            raise UserError(self.env._("Service requests from the portal are turned off."))
        return self.env["service.order"]._portal_create_requested(
            self._service_new_visit_values(), description, windows
        )
