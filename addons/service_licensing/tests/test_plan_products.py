from ast import literal_eval

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestPlanProducts(LicensingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_plans(cls.env)

    def test_plan_needs_a_stripe_price(self):
        with self.assertRaisesRegex(ValidationError, "needs its Stripe price id"):
            self.env["product.template"].create(
                {"name": "Seat, monthly", "type": "service", "service_plan_kind": "monthly"}
            )

    def test_plan_price_must_look_like_a_stripe_price(self):
        with self.assertRaisesRegex(ValidationError, "is not a Stripe price id"):
            self.env["product.template"].create(
                {
                    "name": "Seat, annual",
                    "type": "service",
                    "service_plan_kind": "annual",
                    "service_stripe_price_id": "prod_123",
                }
            )

    def test_ordinary_products_are_untouched(self):
        product = self.env["product.template"].create({"name": "Call-out fee", "type": "service"})
        self.assertFalse(product.service_plan_kind)

    def test_demo_plans_are_listed_for_staff(self):
        action = self.env.ref("service_licensing.action_licensing_plans")
        plans = self.env["product.template"].search(literal_eval(action.domain))
        kinds = set(plans.mapped("service_plan_kind"))
        self.assertEqual(kinds, {"monthly", "annual", "addon"})
