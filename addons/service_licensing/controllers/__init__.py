from . import portal, webhook
from . import work_checklist
