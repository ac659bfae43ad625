from . import (
    test_accounting,
    test_license_allocation,
    test_overdue,
    test_parallel_allocation,
    test_plan_products,
    test_portal_admins,
    test_change_request,
    test_portal_licensing,
    test_purchase_tour,
    test_stripe_errors,
    test_stripe_money,
    test_stripe_refunds,
    test_stripe_payouts,
    test_stripe_webhook,
)
from . import test_technician_workspace
from . import test_accountant_views
from . import test_technician_boundary
from . import test_readonly_routes
from . import test_cron_safety
from . import test_rule_cache
from . import test_staff_tours
from . import test_fits_screen
from . import test_on_my_way
from . import test_arrival_journey
from . import test_webhook_concurrency
from . import test_work_checklist
from . import test_work_offline
from . import test_work_signature
from . import test_persona_journeys
