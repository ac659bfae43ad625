from . import portal, webhook
from . import work_signature
