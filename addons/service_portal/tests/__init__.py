from . import test_partner_scope
from . import test_portal_access
from . import test_portal_bad_input
from . import test_portal_login
from . import test_portal_routes
from . import test_portal_tour
from . import test_service_records
