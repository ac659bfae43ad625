"""Your Purchases: the customer's subscriptions, buying a plan (Stripe Checkout, or an
annual plan on account), the Stripe billing portal, and asking for a cancellation or
fewer licences. The models decide; these routes parse, run and redirect."""

from odoo import http
from odoo.addons.service_portal.controllers import outcome
from odoo.http import request

from .portal import ACCOUNT_REFUSALS, ServiceLicensingPortal

PURCHASES_URL = "/my/purchases"
# Stripe Checkout sends the browser back here once paid (the only query the page reads)
CHECKOUT_RETURN_QUERY = "done=bought"


class ServiceLicensingPurchases(ServiceLicensingPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        self._service_admin_counter(
            values,
            counters,
            "service_subscription_count",
            lambda customer: request.env["service.subscription"].search_count(
                [("partner_id", "=", customer.id)]
            ),
        )
        return values

    def _service_subscription(self, subscription_id, customer):
        """A subscription of the customer the user administers; 404 for any other."""
        return self._service_customer_record(
            request.env["service.subscription"].browse(subscription_id), customer
        )

    def _buy_input(self, product_id, quantity, missing):
        """What a buy form posted: ``(product template, quantity, form, refused)``. The
        quantity is 0 when it is no whole number (the model refuses it); ``form`` is the
        input as text, to fill the form again; ``refused`` the redirect that says
        ``missing`` when the product is not one."""
        form = {
            "product_id": str(product_id) if isinstance(product_id, (str, int)) else "",
            "quantity": quantity if isinstance(quantity, str) else "",
        }
        try:
            product = request.env["product.template"].sudo().browse(int(product_id or 0))
        except (TypeError, ValueError):
            product = request.env["product.template"]
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            quantity = 0
        product = product.exists()
        refused = (
            None if product else self._service_refuse(PURCHASES_URL, missing, "product_id", form)
        )
        return product, quantity, form, refused

    @http.route(
        "/my/purchases", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_purchases(self, done=None, **_kw):
        customer = self._service_admin_customer()
        if done == "bought":
            # back from Stripe Checkout: said once, on the page without the query
            outcome.success(
                request.env._(
                    "Thank you: your purchase appears here as soon as Stripe confirms it."
                ),
                key="service_bought",
            )
            return request.redirect(PURCHASES_URL)
        Subscription = request.env["service.subscription"]
        products = Subscription._portal_catalog()
        values = self._account_page_values(
            "service_purchases",
            customer,
            subscriptions=Subscription.search([("partner_id", "=", customer.id)]),
            plans=products.filtered(lambda p: p.service_plan_kind != "addon"),
            addons=products.filtered(lambda p: p.service_plan_kind == "addon"),
            has_billing=bool(customer.sudo().service_stripe_customer_id),
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
        form = {
            "subscription_id": str(subscription.id),
            "kind": kind if isinstance(kind, str) else "",
            "quantity": quantity if isinstance(quantity, str) else "",
            "comment": comment if isinstance(comment, str) else "",
        }
        done, sent = self._service_try(
            subscription._request_change,
            kind,
            quantity,
            comment,
            form=form,
            refusals=ACCOUNT_REFUSALS,
        )
        if done:
            outcome.success(
                subscription._change_request_confirmation(sent),
                key="service_change_request" if sent else "service_change_sent",
            )
        return request.redirect(PURCHASES_URL)

    @http.route("/my/purchases/buy", type="http", auth="user", website=True, methods=["POST"])
    def portal_buy(self, product_id=None, quantity="1", **_kw):
        customer = self._service_admin_customer()
        product, quantity, form, refused = self._buy_input(
            product_id, quantity, request.env._("Choose a plan or an add-on to buy.")
        )
        if refused:
            return refused
        base = request.httprequest.host_url.rstrip("/")
        done, url = self._service_try(
            request.env["payment.provider"]._service_stripe_start_checkout,
            customer,
            product.product_variant_id,
            quantity,
            f"{base}{PURCHASES_URL}?{CHECKOUT_RETURN_QUERY}",
            f"{base}{PURCHASES_URL}",
            form=form,
            refusals=ACCOUNT_REFUSALS,
        )
        if done:
            return request.redirect(url, local=False)
        return request.redirect(PURCHASES_URL)

    @http.route(
        "/my/purchases/buy_on_account", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_buy_on_account(self, product_id=None, quantity="1", confirm=None, **_kw):
        """Buying on account commits to a year: the first post shows what is bought (plan,
        seats, price, taxes, terms); only the review's own form (``confirm=1``) buys."""
        customer = self._service_admin_customer()
        product, quantity, form, refused = self._buy_input(
            product_id, quantity, request.env._("Choose an annual plan to buy on account.")
        )
        if refused:
            return refused
        if confirm != "1":
            done, review = self._service_try(
                request.env["sale.order"]._service_on_account_review,
                customer,
                product.product_variant_id,
                quantity,
                form=form,
                refusals=ACCOUNT_REFUSALS,
            )
            if not done:
                return request.redirect(PURCHASES_URL)
            values = self._account_page_values("service_purchases", customer, **review)
            values.update(product=product, quantity=quantity)
            return request.render("service_licensing.portal_buy_on_account_review", values)
        return self._service_action(
            PURCHASES_URL,
            request.env["sale.order"]._service_buy_on_account,
            customer,
            product.product_variant_id,
            quantity,
            form=form,
            message=request.env._(
                "Your annual plan is active: its invoice, with its payment terms, is in Your "
                "Invoices."
            ),
            key="service_on_account",
            refusals=ACCOUNT_REFUSALS,
        )

    @http.route("/my/purchases/billing", type="http", auth="user", website=True, methods=["POST"])
    def portal_billing(self, **_kw):
        customer = self._service_admin_customer()
        base = request.httprequest.host_url.rstrip("/")
        done, url = self._service_try(
            request.env["payment.provider"]._service_stripe_start_billing_portal,
            customer,
            f"{base}{PURCHASES_URL}",
            refusals=ACCOUNT_REFUSALS,
        )
        if done:
            return request.redirect(url, local=False)
        return request.redirect(PURCHASES_URL)
