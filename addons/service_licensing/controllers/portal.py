from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.service_portal.exceptions import error_field
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..const import DEVICE_TYPES


def _done_message(code):
    """Fixed confirmations shown after a redirect (never text taken from the URL)."""
    return {
        "allocated": request.env._(
            "The licence is allocated: the technician receives a verification email and an "
            "onboarding email."
        ),
        "updated": request.env._("The technician's details are saved."),
        "removed": request.env._(
            "The technician is removed: the licence is free again and their access is revoked."
        ),
        "on_account": request.env._(
            "Your annual plan is active: its invoice, with its payment terms, is in Your Invoices."
        ),
        "admin_added": request.env._(
            "The admin is added: they receive an invitation to verify their email and set up "
            "their access."
        ),
        "admin_removed": request.env._("The admin is removed."),
        "bought": request.env._(
            "Thank you: your purchase appears here as soon as Stripe confirms it."
        ),
        "change_request": request.env._(
            "Your request is sent to our support team: nothing changes until they answer it."
        ),
        "change_sent": request.env._(
            "Your request is sent to our licensing team: they will contact you. Nothing changes "
            "until they do."
        ),
    }.get(code)


class ServiceLicensingPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        # Only the customer's admins see the licensing entries (a count of 0 hides them).
        customer = request.env.user.partner_id.service_admin_customer_id
        if "service_subscription_count" in counters:
            values["service_subscription_count"] = (
                request.env["service.subscription"].search_count([("partner_id", "=", customer.id)])
                if customer
                else 0
            )
        if "service_license_count" in counters:
            values["service_license_count"] = (
                request.env["service.license"].search_count(
                    [("partner_id", "=", customer.id), ("state", "!=", "revoked")]
                )
                if customer
                else 0
            )
        if "service_admin_count" in counters:
            values["service_admin_count"] = (
                len(customer._service_licensing_admins()) if customer else 0
            )
        return values

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _service_admin_customer(self):
        """The organisation the logged-in user administers; 404 for anyone else."""
        customer = request.env.user.partner_id.service_admin_customer_id
        if not customer:
            raise NotFound()
        return customer

    def _service_license(self, license_id):
        license_ = request.env["service.license"].browse(license_id)
        try:
            license_.check_access("read")
            if not license_.exists() or license_.partner_id != self._service_admin_customer():
                raise NotFound()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return license_

    def _service_call_in_savepoint(self, method, *args):
        """Run a model method; on a UserError undo its writes and return the message."""
        result, error, _field = self._service_form_call(method, *args)
        return result, error

    def _service_form_call(self, method, *args):
        """As _service_call_in_savepoint, with the form field the error is about (or None), which the
        page marks as invalid and ties to the message."""
        try:
            with request.env.cr.savepoint():
                return method(*args), None, None
        except (UserError, AccessError) as error:
            return None, error.args[0], error_field(error)

    # ------------------------------------------------------------------
    # Your purchases
    # ------------------------------------------------------------------

    def _service_subscription(self, subscription_id, customer):
        """A subscription of the customer the user administers; 404 for any other."""
        subscription = request.env["service.subscription"].browse(subscription_id)
        try:
            if not subscription.exists() or subscription.partner_id != customer:
                raise NotFound()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return subscription

    def _account_page_values(
        self, page_name, customer, error=None, done=None, error_target=None, **page_values
    ):
        """Values of the pages where an administrator manages the customer's account
        (purchases, technicians, admins): the layout, the customer, and the outcome of the
        last action (``error``, or ``done`` for the message after a redirect).
        ``error_target`` is the id of the field the error is about: the page marks it
        (aria-invalid) and ties it to the message (aria-describedby)."""
        values = self._prepare_portal_layout_values()
        values.update(
            page_name=page_name,
            customer=customer,
            error=error,
            error_target=error_target,
            done=_done_message(done),
            **page_values,
        )
        return values

    def _render_account_page(self, template, values):
        """A page answering a form: 400 when it shows an error, so nothing looks done."""
        return request.render(template, values, status=400 if values["error"] else 200)

    def _purchases_values(
        self, customer, error=None, done=None, change_form=None, buy_form=None, error_target=None
    ):
        products = (
            request.env["product.template"]
            .sudo()
            .search(
                [("service_plan_kind", "!=", False), ("sale_ok", "=", True)],
                order="service_plan_kind, list_price, id",
            )
        )
        return self._account_page_values(
            "service_purchases",
            customer,
            error=error,
            done=done,
            error_target=error_target,
            subscriptions=request.env["service.subscription"].search(
                [("partner_id", "=", customer.id)]
            ),
            plans=products.filtered(lambda p: p.service_plan_kind != "addon"),
            addons=products.filtered(lambda p: p.service_plan_kind == "addon"),
            has_billing=bool(customer.sudo().service_stripe_customer_id),
            change_form=change_form or {},
            # a purchase that failed: its card shows the quantity the user chose
            buy_form=buy_form or {},
            change_request=None,
        )

    def _render_purchases(
        self, customer, error=None, change_form=None, buy_form=None, error_target=None
    ):
        return self._render_account_page(
            "service_licensing.portal_my_purchases",
            self._purchases_values(
                customer,
                error=error,
                change_form=change_form,
                buy_form=buy_form,
                error_target=error_target,
            ),
        )

    @staticmethod
    def _buy_form(product_id, quantity):
        """What the buy form posted, to show again after an error (text only)."""
        return {
            "product_id": str(product_id) if isinstance(product_id, (str, int)) else "",
            "quantity": quantity if isinstance(quantity, str) else "",
        }

    @http.route(
        "/my/purchases", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_purchases(self, done=None, request_id=None, **_kw):
        customer = self._service_admin_customer()
        values = self._purchases_values(customer, done=done)
        if done == "change_request":
            values["change_request"] = request.env["service.subscription"]._portal_change_request(
                request_id
            )
        return request.render("service_licensing.portal_my_purchases", values)

    @http.route(
        "/my/purchases/<int:subscription_id>/change",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_request_change(self, subscription_id, kind=None, quantity=None, comment=None, **_kw):
        customer = self._service_admin_customer()
        subscription = self._service_subscription(subscription_id, customer)
        ticket, error, field = self._service_form_call(
            subscription._request_change, kind, quantity, comment
        )
        if error:
            form = {"subscription_id": subscription.id, "kind": kind, "quantity": quantity}
            form["comment"] = comment if isinstance(comment, str) else ""
            target = f"change_{field}_{subscription.id}" if field else None
            return self._render_purchases(
                customer, error=error, change_form=form, error_target=target
            )
        if ticket:
            return request.redirect(f"/my/purchases?done=change_request&request_id={ticket.id}")
        return request.redirect("/my/purchases?done=change_sent")

    @http.route("/my/purchases/buy", type="http", auth="user", website=True, methods=["POST"])
    def portal_buy(self, product_id=None, quantity="1", **_kw):
        customer = self._service_admin_customer()
        buy_form = self._buy_form(product_id, quantity)
        try:
            product = request.env["product.template"].sudo().browse(int(product_id or 0))
            quantity = int(quantity)
        except ValueError:
            product, quantity = None, 0
        field = None
        if not product or not product.exists() or not product.service_plan_kind:
            error = request.env._("Choose a plan or an add-on to buy.")
        else:
            base = request.httprequest.host_url.rstrip("/")
            url, error, field = self._service_form_call(
                request.env["payment.provider"]._service_stripe_start_checkout,
                customer,
                product.product_variant_id,
                quantity,
                f"{base}/my/purchases?done=bought",
                f"{base}/my/purchases",
            )
            if url:
                return request.redirect(url, local=False)
        target = f"{field}_{product.id}" if field else None
        return self._render_purchases(customer, error=error, buy_form=buy_form, error_target=target)

    @http.route(
        "/my/purchases/buy_on_account", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_buy_on_account(self, product_id=None, quantity="1", confirm=None, **_kw):
        """Buying on account commits to a year: the first post shows what is bought (plan,
        seats, price, taxes, terms); only the review's own form (``confirm=1``) buys."""
        customer = self._service_admin_customer()
        buy_form = self._buy_form(product_id, quantity)
        try:
            product = request.env["product.template"].sudo().browse(int(product_id or 0))
            quantity = int(quantity)
        except (TypeError, ValueError):
            product, quantity = None, 0
        field = None
        if not product or not product.exists():
            error = request.env._("Choose an annual plan to buy on account.")
        elif confirm != "1":
            review, error, field = self._service_form_call(
                request.env["sale.order"]._service_on_account_review,
                customer,
                product.product_variant_id,
                quantity,
            )
            if not error:
                values = self._account_page_values("service_purchases", customer, **review)
                values.update(product=product, quantity=quantity)
                return request.render("service_licensing.portal_buy_on_account_review", values)
        else:
            _subscription, error, field = self._service_form_call(
                request.env["sale.order"]._service_buy_on_account,
                customer,
                product.product_variant_id,
                quantity,
            )
            if not error:
                return request.redirect("/my/purchases?done=on_account")
        target = f"{field}_{product.id}" if field else None
        return self._render_purchases(customer, error=error, buy_form=buy_form, error_target=target)

    @http.route("/my/purchases/billing", type="http", auth="user", website=True, methods=["POST"])
    def portal_billing(self, **_kw):
        customer = self._service_admin_customer()
        base = request.httprequest.host_url.rstrip("/")
        url, error = self._service_call_in_savepoint(
            request.env["payment.provider"]._service_stripe_start_billing_portal,
            customer,
            f"{base}/my/purchases",
        )
        if url:
            return request.redirect(url, local=False)
        return self._render_purchases(customer, error=error)

    # ------------------------------------------------------------------
    # Technicians
    # ------------------------------------------------------------------

    def _technicians_values(self, customer, error=None, done=None, form=None, error_target=None):
        subscriptions = request.env["service.subscription"].search(
            [
                ("partner_id", "=", customer.id),
                ("plan_kind", "in", ("monthly", "annual")),
                ("state", "in", ("trialing", "active")),
            ]
        )
        return self._account_page_values(
            "service_technicians",
            customer,
            error=error,
            done=done,
            error_target=error_target,
            licenses=request.env["service.license"].search(
                [("partner_id", "=", customer.id), ("state", "!=", "revoked")]
            ),
            subscriptions=subscriptions,
            free_subscriptions=subscriptions.filtered("quantity_free"),
            device_types=DEVICE_TYPES,
            form=form or {},
        )

    def _render_technicians(self, customer, error=None, done=None, form=None, error_target=None):
        return self._render_account_page(
            "service_licensing.portal_my_technicians",
            self._technicians_values(
                customer, error=error, done=done, form=form, error_target=error_target
            ),
        )

    @http.route(
        "/my/technicians", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_technicians(self, done=None, **_kw):
        return self._render_technicians(self._service_admin_customer(), done=done)

    @http.route(
        "/my/technicians/allocate", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_allocate(self, subscription_id=None, **post):
        customer = self._service_admin_customer()
        try:
            subscription = request.env["service.subscription"].browse(int(subscription_id or 0))
        except ValueError:
            subscription = request.env["service.subscription"]
        if not subscription:
            error = request.env._("Choose the plan to take the licence from.")
            return self._render_technicians(
                customer, error=error, form=post, error_target="allocate_subscription"
            )
        try:
            if not subscription.exists() or subscription.partner_id != customer:
                raise NotFound()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        _license, error, field = self._service_form_call(subscription._allocate_license, post)
        if error:
            # the allocation form's ids: allocate_name, allocate_email, allocate_device...
            target = f"allocate_{field.removesuffix('_type')}" if field else None
            return self._render_technicians(customer, error=error, form=post, error_target=target)
        return request.redirect("/my/technicians?done=allocated")

    @http.route(
        "/my/technicians/<int:license_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_edit_technician(self, license_id, **post):
        customer = self._service_admin_customer()
        license_ = self._service_license(license_id)
        _done, error, field = self._service_form_call(license_._update_from_portal, post)
        if error:
            target = f"edit_{field}_{license_.id}" if field else None
            return self._render_technicians(customer, error=error, error_target=target)
        return request.redirect("/my/technicians?done=updated")

    @http.route(
        "/my/technicians/<int:license_id>/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_remove_technician(self, license_id, confirm=None, **_post):
        customer = self._service_admin_customer()
        license_ = self._service_license(license_id)
        if (confirm or "").strip() != "DELETE":
            return self._render_technicians(
                customer,
                error=request.env._("Type DELETE in capitals to confirm the removal."),
                error_target=f"confirm_{license_.id}",
            )
        _done, error = self._service_call_in_savepoint(license_._revoke)
        if error:
            return self._render_technicians(customer, error=error)
        return request.redirect("/my/technicians?done=removed")

    # ------------------------------------------------------------------
    # Admins
    # ------------------------------------------------------------------

    def _admins_values(self, customer, error=None, done=None, form=None, error_target=None):
        return self._account_page_values(
            "service_admins",
            customer,
            error=error,
            done=done,
            error_target=error_target,
            admins=customer._service_licensing_admins(),
            form=form or {},
        )

    def _render_admins(self, customer, error=None, done=None, form=None, error_target=None):
        return self._render_account_page(
            "service_licensing.portal_my_admins",
            self._admins_values(
                customer, error=error, done=done, form=form, error_target=error_target
            ),
        )

    @http.route(
        "/my/admins", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_admins(self, done=None, **_kw):
        return self._render_admins(self._service_admin_customer(), done=done)

    @http.route("/my/admins/add", type="http", auth="user", website=True, methods=["POST"])
    def portal_add_admin(self, name=None, email=None, **_kw):
        customer = self._service_admin_customer()
        _partner, error, field = self._service_form_call(
            request.env["res.partner"]._service_add_admin, customer, name, email
        )
        if error:
            return self._render_admins(
                customer,
                error=error,
                form={"name": name, "email": email},
                error_target=f"admin_{field}" if field else None,
            )
        return request.redirect("/my/admins?done=admin_added")

    @http.route(
        "/my/admins/<int:partner_id>/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_remove_admin(self, partner_id, **_kw):
        customer = self._service_admin_customer()
        partner = request.env["res.partner"].sudo().browse(partner_id)
        if (
            not partner.exists()
            or not partner.service_admin_role
            or partner.commercial_partner_id != customer
        ):
            raise NotFound()
        _done, error = self._service_call_in_savepoint(partner.sudo(False)._service_remove_admin)
        if error:
            return self._render_admins(customer, error=error)
        if partner == request.env.user.partner_id:
            return request.redirect("/my")
        return request.redirect("/my/admins?done=admin_removed")

    # ------------------------------------------------------------------
    # Technician workspace
    # ------------------------------------------------------------------

    def _service_dashboard_values(self):
        """A technician who is no contact of the customer has a home of their own: the way
        to their work, not the customer's visits, quotes, invoices and requests."""
        values = super()._service_dashboard_values()
        if request.env.user._service_is_technician_only():
            values.update(service_dashboard_hidden=True, service_technician_home=True)
        return values

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["service_is_technician"] = request.env["service.order"]._technician_has_licence()
        values["service_licensing_admin"] = bool(
            request.env.user.partner_id.service_admin_customer_id
        )
        return values

    def _technician_or_403(self):
        if not request.env["service.order"]._technician_has_licence():
            return request.render("service_licensing.portal_work_no_licence", status=403)
        return None

    def _technician_order(self, order_id):
        order = request.env["service.order"].browse(order_id)
        try:
            order.check_access("read")
            order._technician_check()
        except (AccessError, MissingError):
            raise NotFound() from None
        return order

    def _work_field_call(self, order, method, *args, form=None):
        """Run a technician action; on a refused input, undo it and keep the message (and
        the field it is about) for the page the technician is sent back to."""
        try:
            with request.env.cr.savepoint():
                method(*args)
        except UserError as error:
            request.session["service_work_error"] = error.args[0]
            request.session["service_work_error_field"] = error_field(error)
            if form:
                request.session["service_work_usage_form"] = form
            return request.redirect(f"/my/work/{order.id}")
        return None

    def _work_uploaded_photos(self):
        """The photos of the note form, as (name, mimetype, content)."""
        return [
            (upload.filename or "photo", upload.mimetype, upload.read())
            for upload in request.httprequest.files.getlist("photos")
            if upload.filename
        ]

    @http.route("/my/work", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_my_work(self, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        Order = request.env["service.order"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_work",
                # searched as the technician (record rules), shown with their site and
                # equipment, which the technician's own scope does not cover
                "open_orders": Order._technician_orders(upcoming=True).sudo(),
                "done_orders": Order._technician_orders(upcoming=False)[:10].sudo(),
            }
        )
        return request.render("service_licensing.portal_my_work", values)

    @http.route(
        "/my/work/<int:order_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
        readonly=True,
    )
    def portal_my_work_order(self, order_id, done=None, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        order = self._technician_order(order_id)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_work_order",
                "order": order.sudo(),
                "error": request.session.pop("service_work_error", None),
                "error_field": request.session.pop("service_work_error_field", None),
                "done": done in ("state", "note", "on_my_way"),
                "default_travel_minutes": order.sudo()._default_travel_minutes(),
            }
        )
        return request.render("service_licensing.portal_my_work_order", values)

    @http.route(
        "/my/work/<int:order_id>/state", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_work_set_state(self, order_id, state=None, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        order = self._technician_order(order_id)
        failed = self._work_field_call(order, order._technician_set_state, state)
        return failed or request.redirect(f"/my/work/{order_id}?done=state")

    @http.route(
        "/my/work/<int:order_id>/on-my-way",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_work_on_my_way(self, order_id, travel_minutes=None, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        order = self._technician_order(order_id)
        failed = self._work_field_call(order, order._technician_on_my_way, travel_minutes)
        return failed or request.redirect(f"/my/work/{order_id}?done=on_my_way")

    @http.route(
        "/my/work/<int:order_id>/note", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_work_add_note(self, order_id, note=None, client_key=None, **_kw):
        refused = self._technician_or_403()
        if refused:
            return refused
        order = self._technician_order(order_id)
        # the key the phone gave the note (work_offline.py): sent again, stored once
        failed = self._work_field_call(
            order, order._technician_add_note, note, self._work_uploaded_photos(), client_key
        )
        return failed or request.redirect(f"/my/work/{order_id}?done=note")
