from . import (
    admins,
    portal,
    purchases,
    technicians,
    webhook,
    work,
    work_checklist,
    work_offline,
    work_signature,
)
