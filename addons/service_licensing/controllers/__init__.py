from . import portal, webhook, work_offline
