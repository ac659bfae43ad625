from . import service_ticket
