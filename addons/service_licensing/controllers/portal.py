"""What every licensing page shares: the customer the logged-in admin manages, the layout
of the account pages and the one way to run an action the customer asked for.

The pages themselves are one controller per feature, each inheriting this one (as
``website_sale/controllers/`` does): purchases.py, technicians.py, admins.py and the
technician's workspace (work.py, with its checklist, offline and signature files)."""

from werkzeug.exceptions import NotFound

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.service_portal.controllers import outcome
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request


class ServiceLicensingPortal(CustomerPortal):
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

    def _service_try(self, method, *args, form=None, refusals=(UserError, AccessError)):
        """Run the model method of an action. On a refusal its writes are undone and the
        reason (with ``form``, the values typed, to fill the form again) is kept for the
        page the customer is sent back to: returns ``(False, None)``; else
        ``(True, result)``."""
        try:
            with request.env.cr.savepoint():
                return True, method(*args)
        except refusals as error:
            outcome.error(error, form=form)
            return False, None

    def _service_action(
        self, url, method, *args, form=None, message=None, key=None, anchor="", refusals=None
    ):
        """Run the model method of an action and send the customer back to ``url``: with
        ``message`` (the alert's id ``key``, the page's ``anchor``) when it is done, with
        the reason and ``form`` when it is refused (see :meth:`_service_try`)."""
        options = {"refusals": refusals} if refusals else {}
        done, _result = self._service_try(method, *args, form=form, **options)
        if done and message:
            outcome.success(message, key=key)
        return request.redirect(f"{url}{anchor if done else ''}")

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
