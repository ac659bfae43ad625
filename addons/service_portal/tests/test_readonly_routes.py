from odoo.tests import tagged

from .common import ServicePortalHttpCase
from .readonly_routes import ReadonlyRoutesMixin


@tagged("post_install", "-at_install")
class TestServicePortalReadonlyRoutes(ReadonlyRoutesMixin, ServicePortalHttpCase):
    ADDON = "service_portal"
    READ_WRITE_ROUTES = {
        "/my": "Odoo's portal home, read/write in Odoo: an override may not change the mode",
        "/my/home": "the same route as /my",
        "/my/account/company-address": "copies the company's address to the contact",
        "/my/account/confirm-email": "applies the confirmed e-mail change",
        "/my/notifications": "one route for the form and its POST",
        "/portal/register": "one route for the form and its POST",
        "/web/signup": "Odoo's sign-up, read/write in Odoo",
        "/web/reset_password": "Odoo's password reset: one route for the form and its POST, "
        "which counts every attempt",
    }

    def _visits(self):
        manager = (self.manager_user.login, self.PASSWORDS[self.manager_user.login])
        north = (self.north_user.login, self.PASSWORDS[self.north_user.login])
        return {
            "/my/sites": [(*manager, {}, None)],
            "/my/sites/page/<int:page>": [(*manager, {"page": 1}, None)],
            "/my/sites/<int:site_id>": [
                (*north, {"site_id": self.north.id}, None),
                (*manager, {"site_id": self.south.id}, None),
            ],
            "/my/service-orders": [(*manager, {}, None), (*north, {}, None)],
            "/my/service-orders/page/<int:page>": [(*manager, {"page": 1}, None)],
            "/my/service-orders/<int:order_id>": [
                (*north, {"order_id": self.north_order.id}, None),
                (*manager, {"order_id": self.north_done_order.id}, None),
            ],
            "/my/equipment": [(*manager, {}, None)],
            "/my/equipment/page/<int:page>": [(*manager, {"page": 1}, None)],
            "/my/equipment/<int:equipment_id>": [
                (*north, {"equipment_id": self.north_equipment.id}, None)
            ],
            "/my/sites/<int:site_id>/arrival-windows": [(*north, {"site_id": self.north.id}, None)],
            "/my/service-orders/<int:order_id>/arrival-windows": [
                (*north, {"order_id": self.north_order.id}, None)
            ],
            "/my/equipment/<int:equipment_id>/arrival-windows": [
                (*north, {"equipment_id": self.north_equipment.id}, None)
            ],
            "/my/documents": [(*north, {}, None)],
            "/my/documents/page/<int:page>": [(*north, {"page": 1}, None)],
            "/my/documents/<int:document_id>/download": [
                (*north, {"document_id": self.north_document.id}, None)
            ],
        }
