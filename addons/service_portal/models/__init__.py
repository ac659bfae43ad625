from . import service_scoped_mixin
from . import res_partner
from . import portal_settings
from . import res_config_settings
from . import service_order
from . import service_equipment
from . import service_document
