"""Technicians: the admin allocates the customer's licences to technicians, edits them and
removes them (the licence is revoked and the technician's access ends). The models decide;
these routes parse, run and redirect."""

from odoo import http
from odoo.addons.service_portal.controllers import inputs
from odoo.http import request

from ..const import DEVICE_TYPES
from .portal import ACCOUNT_REFUSALS, ServiceLicensingPortal

TECHNICIANS_URL = "/my/technicians"
# the fields of the allocation and edit forms, kept (as text) to fill them again
LICENSE_FORM_FIELDS = ("subscription_id", "name", "email", "device_type", "state")


class ServiceLicensingTechnicians(ServiceLicensingPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        self._service_admin_counter(
            values,
            counters,
            "service_license_count",
            lambda customer: request.env["service.license"].search_count(
                [("partner_id", "=", customer.id), ("state", "!=", "revoked")]
            ),
        )
        return values

    def _service_license(self, license_id):
        """A licence of the customer the user administers; 404 for any other."""
        return self._service_customer_record(
            request.env["service.license"].browse(license_id), self._service_admin_customer()
        )

    @staticmethod
    def _license_form(form_name, post, **extra):
        """What a technician form posted, to fill it again after an error (text only);
        ``form`` names the form of the page it came from."""
        values = inputs.kept_form(500, **{key: post.get(key) for key in LICENSE_FORM_FIELDS})
        return {**values, **extra, "form": form_name}

    @http.route(
        "/my/technicians", type="http", auth="user", website=True, methods=["GET"], readonly=True
    )
    def portal_my_technicians(self, **_kw):
        customer = self._service_admin_customer()
        subscriptions = request.env["service.subscription"]._portal_seat_subscriptions(customer)
        values = self._account_page_values(
            "service_technicians",
            customer,
            licenses=request.env["service.license"].search(
                [("partner_id", "=", customer.id), ("state", "!=", "revoked")]
            ),
            subscriptions=subscriptions,
            free_subscriptions=subscriptions.filtered("quantity_free"),
            device_types=DEVICE_TYPES,
        )
        return request.render("service_licensing.portal_my_technicians", values)

    @http.route(
        "/my/technicians/allocate", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_allocate(self, subscription_id=None, **post):
        customer = self._service_admin_customer()
        form = self._license_form("allocate", {**post, "subscription_id": subscription_id})
        try:
            subscription = request.env["service.subscription"].browse(int(subscription_id or 0))
        except (TypeError, ValueError):
            subscription = request.env["service.subscription"]
        if not subscription:
            return self._service_refuse(
                TECHNICIANS_URL,
                request.env._("Choose the plan to take the licence from."),
                "subscription_id",
                form,
            )
        subscription = self._service_customer_record(subscription, customer)
        return self._service_action(
            TECHNICIANS_URL,
            subscription._allocate_license,
            post,
            form=form,
            message=request.env._(
                "The licence is allocated: the technician receives a verification email and an "
                "onboarding email."
            ),
            key="service_allocated",
            refusals=ACCOUNT_REFUSALS,
        )

    @http.route(
        "/my/technicians/<int:license_id>/edit",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_edit_technician(self, license_id, **post):
        license_ = self._service_license(license_id)
        form = self._license_form("edit", post, license_id=str(license_.id))
        return self._service_action(
            TECHNICIANS_URL,
            license_._update_from_portal,
            post,
            form=form,
            message=request.env._("The technician's details are saved."),
            key="service_updated",
            refusals=ACCOUNT_REFUSALS,
        )

    @http.route(
        "/my/technicians/<int:license_id>/remove",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_remove_technician(self, license_id, confirm=None, **_post):
        license_ = self._service_license(license_id)
        form = {"form": "remove", "license_id": str(license_.id)}
        if not isinstance(confirm, str) or confirm.strip() != "DELETE":
            return self._service_refuse(
                TECHNICIANS_URL,
                request.env._("Type DELETE in capitals to confirm the removal."),
                "confirm",
                form,
            )
        return self._service_action(
            TECHNICIANS_URL,
            license_._revoke,
            form=form,
            message=request.env._(
                "The technician is removed: the licence is free again and their access is revoked."
            ),
            key="service_removed",
            refusals=ACCOUNT_REFUSALS,
        )
