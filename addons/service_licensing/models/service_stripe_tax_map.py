from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import TAX_BEHAVIORS


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

    # ------------------------------------------------------------------
    # Stripe's line taxes mapped to Odoo taxes
    # ------------------------------------------------------------------

    @api.model
    def _line_tax_entries(self, line):
        """The taxes of a Stripe invoice line as (amount, taxable_amount, behavior, rate id).

        API versions from 2025 send ``taxes`` with ``tax_behavior`` and ``tax_rate_details``;
        older ones ``tax_amounts`` with ``inclusive`` and ``tax_rate``.
        """
        entries = []
        for tax in line.get("taxes") or []:
            details = tax.get("tax_rate_details") or {}
            entries.append(
                (
                    tax.get("amount") or 0,
                    tax.get("taxable_amount"),
                    tax.get("tax_behavior") or "exclusive",
                    details.get("tax_rate") if isinstance(details, dict) else None,
                )
            )
        for tax in line.get("tax_amounts") or []:
            rate = tax.get("tax_rate")
            entries.append(
                (
                    tax.get("amount") or 0,
                    tax.get("taxable_amount"),
                    "inclusive" if tax.get("inclusive") else "exclusive",
                    rate.get("id") if isinstance(rate, dict) else rate,
                )
            )
        return entries

    @api.model
    def _map_tax(self, company, amount, taxable_amount, behavior, rate_id, reference):
        """The Odoo tax mapped to one Stripe line tax; raise with what to configure if none."""
        mappings = (
            self.env["service.stripe.tax.map"]
            .sudo()
            .search([("company_id", "=", company.id), ("tax_behavior", "=", behavior)])
        )
        by_id = mappings.filtered(lambda m: rate_id and m.stripe_tax_rate_id == rate_id)
        if by_id:
            return by_id[0].tax_id
        rate = None
        if taxable_amount:
            rate = amount * 100.0 / taxable_amount
            # The mapping whose rate gives Stripe's rounded tax amount on Stripe's base.
            candidates = mappings.filtered(
                lambda m: (
                    not m.stripe_tax_rate_id
                    and abs(round(taxable_amount * m.rate / 100.0) - amount) <= 1
                )
            )
            if candidates:
                return min(candidates, key=lambda m: abs(m.rate - rate)).tax_id
        elif not amount:
            return None  # nothing taxed on this line (a fully discounted one)
        raise UserError(
            self.env._(
                "Stripe %(reference)s has a %(rate)s %(behavior)s tax (%(rate_id)s) that is "
                "mapped to no Odoo tax: add it in Settings > Field Service > Stripe Tax "
                "Mapping, the event is then processed again.",
                reference=reference,
                rate=f"{rate:.4g}%" if rate is not None else self.env._("(unknown rate)"),
                behavior=behavior,
                rate_id=rate_id or "-",
            )
        )
