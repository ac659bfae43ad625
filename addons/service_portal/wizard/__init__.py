from . import service_portal_registration_link
from . import portal_wizard_user
from . import base_partner_merge
