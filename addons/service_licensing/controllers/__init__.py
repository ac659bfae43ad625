from . import portal, webhook
