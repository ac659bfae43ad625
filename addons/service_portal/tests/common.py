from odoo import http
from odoo.tests import HttpCase


class ServicePortalDemoMixin:
    """The demo customers: Winslow Estates (two sites; Wanda sees both, Nick only North)
    and Parkway Cinemas (Paula), unrelated to Winslow."""

    @classmethod
    def _setup_demo_refs(cls):
        ref = cls.env.ref
        cls.winslow = ref("service_portal.partner_winslow")
        cls.north = ref("service_portal.site_winslow_north")
        cls.south = ref("service_portal.site_winslow_south")
        cls.parkway = ref("service_portal.partner_parkway")
        cls.parkway_site = ref("service_portal.site_parkway_downtown")
        cls.manager_user = ref("service_portal.user_winslow_manager")
        cls.north_user = ref("service_portal.user_winslow_north")
        cls.parkway_user = ref("service_portal.user_parkway_owner")
        cls.north_order = ref("service_portal.order_north_boiler_upcoming")
        cls.north_done_order = ref("service_portal.order_north_boiler_done")
        cls.south_order = ref("service_portal.order_south_install")
        cls.parkway_order = ref("service_portal.order_parkway_projector")
        cls.north_equipment = ref("service_portal.equipment_north_boiler")
        cls.south_equipment = ref("service_portal.equipment_south_door")
        cls.parkway_equipment = ref("service_portal.equipment_parkway_projector")
        cls.north_document = ref("service_portal.document_north_certificate")
        cls.unpublished_document = ref("service_portal.document_north_internal")
        cls.south_document = ref("service_portal.document_south_manual")
        cls.parkway_document = ref("service_portal.document_parkway_plan")

    PASSWORDS = {
        "manager@winslow.example": "winslow",
        "north@winslow.example": "north",
        "owner@parkway.example": "parkway",
    }


class ServicePortalHttpCase(ServicePortalDemoMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_demo_refs()

    def login_as(self, user):
        self.authenticate(user.login, self.PASSWORDS[user.login])

    def csrf_token_for_session(self):
        return http.Request.csrf_token(self)
