from odoo import api, fields, models


class ServicePortalRegistrationLink(models.TransientModel):
    _name = "service.portal.registration.link"
    _description = "Link web accounts to a customer"

    registration_ids = fields.Many2many(
        "service.portal.registration",
        "service_portal_registration_link_rel",
        "wizard_id",
        "registration_id",
        string="Web Accounts",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer or Job Site",
        required=True,
        domain="['|', ('is_company', '=', True), ('service_is_job_site', '=', True)]",
        help="The web account's contact is attached here: to the company to see every site, "
        "to a job site to see only that site.",
    )

    @api.model
    def default_get(self, fields):
        values = super().default_get(fields)
        if "partner_id" in fields and not values.get("partner_id"):
            registrations = self.env["service.portal.registration"].browse(
                self.env.context.get("default_registration_ids") or []
            )
            suggested = {registration._suggested_customer() for registration in registrations}
            # several accounts at once: only a customer all of them point to
            if len(suggested) == 1 and (customer := suggested.pop()):
                values["partner_id"] = customer.id
        return values

    def action_link(self):
        self.registration_ids.action_link(self.partner_id)
        return {"type": "ir.actions.act_window_close"}
