from . import service_portal_registration_link
