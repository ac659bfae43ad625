import base64

from odoo import http
from odoo.addons.service_portal.tests.common import ServicePortalCommon, ServicePortalDemoMixin

# A real 1x1 PNG image.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Who ``PortalHttpMixin._login`` logs in: the portal users of the shared test base.
LOGINS = {"manager": "manager_user", "north": "north_user", "parkway": "parkway_user"}


class HelpdeskCommon(ServicePortalCommon):
    """service_portal's shared test base, plus the help desk's records, without demo data:
    request types with their questions (``type_breakdown``, ``type_maintenance``, and the
    data's ``type_question``), requests of each customer (``north_ticket``, ``south_ticket``,
    ``completed_ticket``, ``parkway_ticket``) and knowledge-base articles (``kb_boiler``,
    ``kb_thermostat``, ``kb_door``, ``kb_alarm`` for portal users only, ``kb_draft``).

    They are named as the demo's (the tours choose them by their labels); on a demo database
    the other request types and articles are archived for the test, so that a label or a
    search finds these only."""

    @classmethod
    def _service_ticket(cls, subject, site, requester, **values):
        """A request of the user ``requester`` about the job site ``site`` of its customer."""
        return cls.env["service.ticket"].create(
            {
                "subject": subject,
                "partner_id": site.parent_id.id,
                "site_id": site.id,
                "requester_id": requester.partner_id.id,
                **values,
            }
        )

    @classmethod
    def _setup_helpdesk(cls):
        cls._setup_service_portal()
        cls.site_north = cls.north
        cls.site_south = cls.south
        cls.site_parkway = cls.parkway_site
        env = cls.env
        team = env.ref("service_helpdesk.team_support")
        Type = env["service.ticket.type"]
        cls.type_question = env.ref("service_helpdesk.ticket_type_question")
        Type.search([("id", "!=", cls.type_question.id)]).active = False
        env["service.kb.article"].search([]).active = False
        cls.type_breakdown = Type.create(
            {
                "name": "Equipment breakdown",
                "sequence": 10,
                "site_mode": "required",
                "team_id": team.id,
                "response_hours": 4,
                "needs_visit": True,
                "description": "Something stopped working at one of your sites.",
            }
        )
        Question = env["service.ticket.question"]
        question = {"type_id": cls.type_breakdown.id}
        cls.q_since = Question.create(
            dict(question, sequence=10, name="Since when?", kind="date", required=True)
        )
        cls.q_safety = Question.create(
            dict(question, sequence=20, name="Is anyone at risk?", kind="boolean", required=True)
        )
        cls.q_area = Question.create(
            dict(
                question,
                sequence=30,
                name="Which system?",
                kind="choice",
                choices="Heating\nCooling\nElectrical\nDoors and access\nOther",
                required=True,
            )
        )
        cls.q_count = Question.create(
            dict(question, sequence=40, name="How many units are affected?", kind="number")
        )
        cls.type_maintenance = Type.create(
            {
                "name": "Planned maintenance request",
                "sequence": 20,
                "site_mode": "required",
                "team_id": team.id,
                "description": "Ask for a visit at a date that suits you.",
            }
        )
        Question.create(
            [
                {
                    "type_id": cls.type_maintenance.id,
                    "sequence": 10,
                    "name": "Preferred date",
                    "kind": "date",
                },
                {
                    "type_id": cls.type_maintenance.id,
                    "sequence": 20,
                    "name": "Access instructions",
                    "kind": "textarea",
                    "help_text": "Keys, codes, who to ask at the gate.",
                },
            ]
        )

        cls.north_ticket = cls._service_ticket(
            "Heating off in the north library",
            cls.north,
            cls.north_user,
            type_id=cls.type_breakdown.id,
            priority="1",
            description="<p>The radiators in the library stay cold since Monday.</p>",
        )
        env["service.ticket.answer"].create(
            {
                "ticket_id": cls.north_ticket.id,
                "question_id": cls.q_area.id,
                "name": "Which system?",
                "value": "Heating",
            }
        )
        cls.south_ticket = cls._service_ticket(
            "Loading-bay door sticks halfway", cls.south, cls.manager_user
        )
        cls.completed_ticket = cls._service_ticket(
            "Thermostat display is blank",
            cls.north,
            cls.north_user,
            type_id=cls.type_breakdown.id,
            state="completed",
            description="<p>The thermostat in room 12 shows nothing.</p>",
            solution="<p>The thermostat batteries were flat: replace the two AA "
            "batteries behind the front cover.</p>",
        )
        cls.parkway_ticket = cls._service_ticket(
            "Projector fan is noisy in screen 2", cls.parkway_site, cls.parkway_user
        )

        Category = env["service.kb.category"]
        heating = Category.create({"name": "Heating and cooling", "sequence": 10})
        access = Category.create({"name": "Doors and access", "sequence": 20})
        Article = env["service.kb.article"]
        cls.kb_boiler = Article.create(
            {
                "name": "Boiler pressure is too low",
                "category_id": heating.id,
                "is_published": True,
                "view_count": 42,
                "problem": "<p>Radiators stay cold and the boiler gauge shows less than 1 bar.</p>",
                "solution": "<p>Open the filling loop under the boiler until the gauge reads "
                "1.5 bar, then close it. If the pressure drops again within a week, request a "
                "visit: there is a leak.</p>",
            }
        )
        cls.kb_thermostat = Article.create(
            {
                "name": "Thermostat display is blank",
                "category_id": heating.id,
                "is_published": True,
                "view_count": 17,
                "problem": "<p>The wall thermostat shows nothing and the heating does not "
                "start.</p>",
                "solution": "<p>Replace the two AA batteries behind the front cover.</p>",
            }
        )
        cls.kb_door = Article.create(
            {
                "name": "Loading-bay door stops halfway",
                "category_id": access.id,
                "is_published": True,
                "view_count": 5,
                "problem": "<p>The roller door stops before it is fully open.</p>",
                "solution": "<p>Clear the photocell at the bottom of the rails, then press "
                "reset on the control box.</p>",
            }
        )
        cls.kb_alarm = Article.create(
            {
                "name": "Resetting the alarm panel code",
                "category_id": access.id,
                "is_published": True,
                "visibility": "portal",
                "problem": "<p>A staff member left and the alarm code must change.</p>",
                "solution": "<p>Log in to the panel with the master code, choose Users, then "
                "Change code.</p>",
            }
        )
        cls.kb_draft = Article.create(
            {
                "name": "Draft: chiller maintenance schedule",
                "category_id": heating.id,
                "problem": "<p>Not ready yet.</p>",
            }
        )

    @classmethod
    def _setup_mail_domain(cls, name):
        """The help desk's records, and the company's mail domain ``name`` (the requests and
        teams get their reply-to and alias addresses in it)."""
        cls._setup_helpdesk()
        cls.env.company.alias_domain_id = cls.env["mail.alias.domain"].create({"name": name})

    def _breakdown_form(self, **overrides):
        """What the request form sends for a valid breakdown at the north site (its
        questions answered), with ``overrides``."""
        return {
            "type_id": self.type_breakdown.id,
            "site_id": self.site_north.id,
            "subject": "Boiler leaking",
            "description": "Water under the boiler in the basement.",
            f"question_{self.q_since.id}": "2026-11-20",
            f"question_{self.q_safety.id}": "no",
            f"question_{self.q_area.id}": "Heating",
            f"question_{self.q_count.id}": "2",
            **overrides,
        }


class HelpdeskDemoMixin(ServicePortalDemoMixin):
    """service_portal's demo records and the help desk's, for the tests tagged
    ``service_demo`` only (their subject is the demo data)."""

    @classmethod
    def _setup_demo(cls):
        cls._setup_demo_refs()
        ref = cls.env.ref
        cls.site_north, cls.site_south, cls.site_parkway = cls.north, cls.south, cls.parkway_site
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
        """Log in as "manager", "north" or "parkway" (``LOGINS``), or as a user."""
        user = getattr(self, LOGINS[who]) if isinstance(who, str) else who
        self.authenticate(user.login, self.PASSWORDS[user.login])

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
