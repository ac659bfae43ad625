from odoo.addons.service_portal.controllers.portal import ServicePortal
from odoo.fields import Domain
from odoo.http import request


class HelpdeskCustomerPortal(ServicePortal):
    """The help desk on the customer portal: the requests of a job site and of the
    dashboard (the home's requests counter is ``service.portal.settings``'s). The pages of
    the requests are in ``requests.py``, the form of a new request in ``request_form.py``."""

    def _prepare_requests_domain(self):
        """Requests of the contact's scope; record rules enforce it, this says it."""
        return Domain(request.env["service.ticket"]._service_portal_scope_domain())

    # ------------------------------------------------------------------
    # Requests on service_portal's pages: site tab, dashboard
    # ------------------------------------------------------------------

    def _service_site_tabs(self, sections):
        tabs = super()._service_site_tabs(sections)
        if sections["helpdesk"] and request.env["service.ticket"].has_access("read"):
            tabs = {"requests": request.env._("Requests"), **tabs}
        return tabs

    def _service_site_tab_values(self, site, tab):
        if tab != "requests":
            return super()._service_site_tab_values(site, tab)
        tickets = request.env["res.partner"]._service_site_tab_records(site, tab)["requests"]
        return {"grouped_tickets": [tickets] if tickets else [], "groupby": "none"}

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        Ticket = request.env["service.ticket"]
        values["service_requests_allowed"] = values["service_sections"][
            "helpdesk"
        ] and Ticket.has_access("read")
        return values

    def _service_dashboard_values(self):
        values = super()._service_dashboard_values()
        shown = request.env["service.portal.settings"].get_shown_sections()["helpdesk"]
        Ticket = request.env["service.ticket"]
        values["service_dashboard"]["open_requests"] = (
            # found with the user's rules, read as superuser (as the other dashboard lists)
            Ticket.search_fetch(
                [("state", "=", "open")], ["name", "subject"], order="create_date desc", limit=5
            ).sudo()
            if shown and Ticket.has_access("read")
            else Ticket
        )
        return values
