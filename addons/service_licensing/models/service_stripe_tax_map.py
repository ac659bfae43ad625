from odoo import api, fields, models

TAX_BEHAVIORS = [("exclusive", "Exclusive"), ("inclusive", "Inclusive")]


class ServiceStripeTaxMap(models.Model):
    """Which Odoo tax records a Stripe tax rate on the customer invoices of Stripe.

    Stripe's invoice lines name their tax rates by id and amount only: a mapping by percentage
    and behaviour lets accountants choose the Odoo tax (and so the tax report's grids) once,
    whatever Stripe tax rate objects the company creates; a Stripe tax rate id, when given,
    wins over the percentage.
    """

    _name = "service.stripe.tax.map"
    _description = "Stripe Tax Mapping"
    _order = "company_id, rate, tax_behavior"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    rate = fields.Float(
        string="Stripe Rate (%)", digits=(16, 4), required=True, help="For example 20 for 20%."
    )
    tax_behavior = fields.Selection(
        TAX_BEHAVIORS,
        required=True,
        default="exclusive",
        help="Whether Stripe adds the tax to the price (exclusive) or includes it (inclusive).",
    )
    stripe_tax_rate_id = fields.Char(
        help="Optional: the Stripe tax rate (txr_...) this line is for; otherwise any Stripe "
        "tax of this percentage and behaviour.",
    )
    tax_id = fields.Many2one(
        "account.tax",
        string="Odoo Tax",
        required=True,
        ondelete="restrict",
        domain="[('type_tax_use', '=', 'sale'), ('amount_type', '=', 'percent'), "
        "('company_id', '=', company_id)]",
    )

    _rate_uniq = models.UniqueIndex(
        "(company_id, rate, tax_behavior, COALESCE(stripe_tax_rate_id, ''))",
        "A Stripe rate is mapped to one Odoo tax only.",
    )

    @api.depends("rate", "tax_behavior", "tax_id")
    def _compute_display_name(self):
        behaviors = dict(TAX_BEHAVIORS)
        for mapping in self:
            mapping.display_name = self.env._(
                "%(rate)s%% %(behavior)s: %(tax)s",
                rate=f"{mapping.rate:g}",
                behavior=behaviors.get(mapping.tax_behavior, "").lower(),
                tax=mapping.tax_id.display_name or "",
            )
