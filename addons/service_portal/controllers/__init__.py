from . import portal
from . import sites
from . import service_order
from . import equipment
from . import document
from . import account
from . import registration
