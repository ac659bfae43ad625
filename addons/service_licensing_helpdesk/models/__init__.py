from . import service_subscription
