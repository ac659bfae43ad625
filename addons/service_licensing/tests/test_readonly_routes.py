from odoo.addons.service_portal.tests.readonly_routes import ReadonlyRoutesMixin
from odoo.tests import HttpCase, tagged

from .common import LicensingCommon


@tagged("post_install", "-at_install")
class TestLicensingReadonlyRoutes(ReadonlyRoutesMixin, LicensingCommon, HttpCase):
    ADDON = "service_licensing"
    READ_WRITE_ROUTES = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing_base()

    def _visits(self):
        manager = (self.manager_user.login, self.manager_user.login)
        terry = (self.terry.login, self.terry.login)
        order = self.north_order
        certificate = self.north_document
        return {
            "/my/purchases": [(*manager, {}, None)],
            "/my/technicians": [(*manager, {}, None)],
            "/my/admins": [(*manager, {}, None)],
            "/my/work": [(*terry, {}, None)],
            "/my/work/<int:order_id>": [(*terry, {"order_id": order.id}, None)],
            "/my/work/<int:order_id>/documents/<int:document_id>": [
                (*terry, {"order_id": order.id, "document_id": certificate.id}, None)
            ],
            "/my/work/manifest.webmanifest": [(*terry, {}, None)],
            "/my/work/service-worker.js": [(*terry, {}, None), (None, None, {}, None)],
            "/my/work/offline/token": [(*terry, {}, None)],
        }
