from . import test_plan_products
