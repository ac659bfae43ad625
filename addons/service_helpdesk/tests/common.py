import base64

from odoo import http

# A real 1x1 PNG image.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
LOGINS = {
    "manager": ("manager@winslow.example", "winslow"),
    "north": ("north@winslow.example", "north"),
    "parkway": ("owner@parkway.example", "parkway"),
}


class HelpdeskDemoMixin:
    """Demo records of service_portal and service_helpdesk used by the tests."""

    @classmethod
    def _setup_demo(cls):
        ref = cls.env.ref
        cls.winslow = ref("service_portal.partner_winslow")
        cls.site_north = ref("service_portal.site_winslow_north")
        cls.site_south = ref("service_portal.site_winslow_south")
        cls.parkway = ref("service_portal.partner_parkway")
        cls.site_parkway = ref("service_portal.site_parkway_downtown")
        cls.manager_user = ref("service_portal.user_winslow_manager")
        cls.north_user = ref("service_portal.user_winslow_north")
        cls.parkway_user = ref("service_portal.user_parkway_owner")
        cls.north_ticket = ref("service_helpdesk.ticket_winslow_north_heating")
        cls.south_ticket = ref("service_helpdesk.ticket_winslow_south_door")
        cls.completed_ticket = ref("service_helpdesk.ticket_winslow_north_thermostat")
        cls.parkway_ticket = ref("service_helpdesk.ticket_parkway_projector")
        cls.type_breakdown = ref("service_helpdesk.ticket_type_breakdown")
        cls.type_question = ref("service_helpdesk.ticket_type_question")
        cls.q_since = ref("service_helpdesk.question_breakdown_since")
        cls.q_safety = ref("service_helpdesk.question_breakdown_safety")
        cls.q_area = ref("service_helpdesk.question_breakdown_area")
        cls.q_count = ref("service_helpdesk.question_breakdown_count")


class PortalHttpMixin:
    def _login(self, who):
        login, password = LOGINS[who]
        self.authenticate(login, password)

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _post(self, url, data=None, files=None, allow_redirects=False):
        data = dict(data or {}, csrf_token=self._csrf())
        return self.url_open(url, data=data, files=files, allow_redirects=allow_redirects)

    def _assert_outcome(self, response, key=None, error=None):
        """``response`` redirects after an action, to a page that tells its outcome once:
        the success alert ``#key``, or the error alert saying ``error``. Returns that page."""
        from lxml import html as lxml_html

        self.assertEqual(response.status_code, 303, response.text[:500])
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        document = lxml_html.fromstring(page.text)
        alert_id = "service_error" if error else key
        alerts = document.xpath("//*[@id=$id]", id=alert_id)
        self.assertEqual(len(alerts), 1, f"no alert #{alert_id} on {response.headers['Location']}")
        if error:
            self.assertIn(error, " ".join(alerts[0].text_content().split()))
        return page
