"""What every licensing page shares: the customer the logged-in admin manages, the layout
of the account pages and what an admin's action refuses. An action runs through
service_portal's ``ServicePortal._service_action`` (run, tell, redirect), as everywhere.

The pages themselves are one controller per feature, each inheriting this one (as
``website_sale/controllers/`` does): purchases.py, technicians.py, admins.py and the
technician's workspace (work.py, with its checklist, offline and signature files)."""

from werkzeug.exceptions import NotFound

from odoo.addons.service_portal.controllers import outcome
from odoo.addons.service_portal.controllers.portal import ServicePortal
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

# what an admin's action on the account refuses, told on the page it came from: the
# model's refusals and what the admin's rights do not allow (the workspace's actions
# refuse UserError only)
ACCOUNT_REFUSALS = (UserError, AccessError)


class ServiceLicensingPortal(ServicePortal):
    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["service_licensing_admin"] = bool(
            request.env.user.partner_id.service_admin_customer_id
        )
        return values

    def _service_admin_customer(self):
        """The organisation the logged-in user administers; 404 for anyone else."""
        customer = request.env.user.partner_id.service_admin_customer_id
        if not customer:
            raise NotFound()
        return customer

    def _service_customer_record(self, record, customer):
        """``record`` if it exists, the user may read it and it belongs to ``customer``;
        404 for anything else (the same answer whether it exists or not)."""
        try:
            record.check_access("read")
            if not record.exists() or record.partner_id != customer:
                raise NotFound()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return record

    def _service_refuse(self, url, message, field, form):
        """Send the customer back to ``url`` with ``message`` about the ``field`` of the
        form (an input the route could not read), ``form`` filled again."""
        outcome.error(FieldUserError(message, field), form=form)
        return request.redirect(url)

    def _service_admin_counter(self, values, counters, key, count):
        """Set the home's counter ``key`` (when asked) to ``count(customer)`` for the admins
        of a customer, 0 for anyone else: a count of 0 hides the entry."""
        if key in counters:
            customer = request.env.user.partner_id.service_admin_customer_id
            values[key] = count(customer) if customer else 0

    def _account_page_values(self, page_name, customer, **page_values):
        """Values of the pages where an administrator manages the customer's account
        (purchases, technicians, admins); the outcome of the last action comes with the
        layout (service_portal's outcome.py)."""
        values = self._prepare_portal_layout_values()
        values.update(page_name=page_name, customer=customer, **page_values)
        return values
