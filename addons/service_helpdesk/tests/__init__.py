from . import test_ticket_access
