from . import (
    test_helpdesk_website,
    test_kb_search,
    test_kb_suggest,
    test_mail_notifications,
    test_portal_equipment,
    test_portal_estimates,
    test_portal_queries,
    test_portal_requests,
    test_readonly_routes,
    test_ticket_access,
    test_ticket_models,
    test_tour,
)
from . import test_service_portal_integration
from . import test_ticket_stages
from . import test_ticket_rating
from . import test_rating_migration
from . import test_ticket_staff_fields
from . import test_waiting_account
from . import test_portal_lists
from . import test_demo_journeys
from . import test_request_windows
