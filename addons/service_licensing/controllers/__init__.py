from . import portal, webhook, work_checklist, work_offline, work_signature
