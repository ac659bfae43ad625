from odoo.addons.service_portal.tests.readonly_routes import ReadonlyRoutesMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLicensingReadonlyRoutes(ReadonlyRoutesMixin, HttpCase):
    ADDON = "service_licensing"
    READ_WRITE_ROUTES = {}

    def _visits(self):
        manager = ("manager@winslow.example", "winslow")
        terry = ("terry@winslow.example", "terry")
        order = self.env.ref("service_portal.order_north_boiler_upcoming")
        certificate = self.env.ref("service_portal.document_north_certificate")
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
