from . import test_partner_scope, test_portal_login
