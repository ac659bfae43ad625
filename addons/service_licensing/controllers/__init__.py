from . import portal, webhook
from . import work_checklist
from . import portal, webhook, work_offline
