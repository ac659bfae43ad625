from . import res_partner, service_scoped_mixin
