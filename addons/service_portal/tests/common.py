"""The shared test base of the three addons: customers, sites, contacts and orders made by the
tests themselves, so that every test that is not tagged ``service_demo`` passes on a database
installed without demo data (``DEMO=0 tools/devdb.sh init``) as on the demo one.

The records mirror the demo's personas (Wanda sees both sites of her company, Nick only the
north site, Paula is another customer) under names and email domains of their own: on a demo
database they sit beside the demo records without matching them (a company named as typed,
a contact with the same email, a login).
"""

import base64
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, http, models
from odoo.tests import HttpCase, TransactionCase, new_test_user

# The tag of the tests whose subject is the demo data itself (the demo journeys, the tours that
# document the demo personas): they are the only ones that need a database installed with demo.
DEMO_TAG = "service_demo"

PDF_BYTES = b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"


def _b64(data):
    return base64.b64encode(data)


# the widths the tours play at (the technician and the customer on a phone, staff at a desk)
TOUR_SIZES = {"phone": "375x812", "desktop": "1366x768"}


def setup_arrival_windows(env, user=None, lunch_break=False):
    """Arrival windows 8-10, 10-12 and 13-15 every day, and one technician working every
    day in Brussels, 8-17 (with ``lunch_break``: 8-12 and 13-17); the other windows and
    technicians are set aside, so that these alone decide what customers are offered.

    :param user: the technician's user (by default a new internal user)
    :return: the technician's user
    """
    env["service.arrival.window"].search([]).active = False
    env["service.arrival.window"].create(
        [
            {"weekday": str(day), "hour_from": start, "hour_to": start + 2}
            for day in range(7)
            for start in (8, 10, 13)
        ]
    )
    periods = ((8, 12, "morning"), (13, 17, "afternoon")) if lunch_break else ((8, 17, "full_day"),)
    calendar = env["resource.calendar"].create(
        {
            "name": "Every day",
            "tz": "Europe/Brussels",
            "attendance_ids": [
                Command.clear(),
                *[
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(7)
                    for start, end, period in periods
                ],
            ],
        }
    )
    env["service.technician"].search([]).active = False
    user = user or new_test_user(env, "arrival.portal.tech", groups="base.group_user")
    env["service.technician"].create({"user_id": user.id, "resource_calendar_id": calendar.id})
    return user


class ServicePortalCommon:
    """Two customers without demo data.

    * ``winslow`` (Winslow Holdings) with two job sites ``north`` and ``south``; ``parkway``
      (Parkway Theatres) with one site ``parkway_site``, unrelated to Winslow.
    * Portal access levels: ``manager_user`` (Wanda, a contact of the company: every site),
      ``north_user`` (Nick, a contact of the north site: that site only), ``parkway_user``
      (Paula, the other customer), ``waiting_user`` (registered herself, linked to no customer
      yet: the waiting page only); ``contact_no_user`` is a contact without a login.
    * Staff: ``service_user`` (group Service / User), ``service_manager`` (Service / Manager),
      ``technician_user`` (a service user assigned to the orders; no working hours: the
      arrival-window tests give availability to whom they need).
    * Equipment, orders and documents as the demo has them: ``north_order`` (scheduled in
      three days), ``north_done_order`` (done, to sign off), ``south_order`` (install),
      ``north_today_order`` (today, still to come), the other customer's ``parkway_order``,
      ``parkway_today_order``, ``parkway_done_order``; documents published on equipment,
      unpublished, and on a site.
    """

    PASSWORDS = {}

    @classmethod
    def _service_new_user(cls, login, groups, **values):
        """A user made by Odoo's test helper; its password is its login (as ``start_tour``
        expects), recorded in ``PASSWORDS`` for ``login_as``."""
        user = new_test_user(
            cls.env,
            login=login,
            groups=groups,
            password=login,
            context={"no_reset_password": True, "mail_create_nosubscribe": True},
            **values,
        )
        cls.PASSWORDS = dict(cls.PASSWORDS, **{login: login})
        return user

    @classmethod
    def _service_portal_user(cls, name, login, parent, **values):
        """A portal user whose contact belongs to ``parent`` (a customer or a job site)."""
        return cls._service_new_user(
            login, "base.group_portal", name=name, email=login, parent_id=parent.id, **values
        )

    def _service_tour(self, url, tour, user, width="phone"):
        """Play ``tour`` in Chromium from ``url``, logged in as ``user`` (whose password is
        its login), at the width of a phone or a desk (``TOUR_SIZES``)."""
        self.browser_size = TOUR_SIZES[width]
        self.start_tour(url, tour, login=user.login, timeout=180)

    def _service_proposed_windows(self, order):
        """The two arrival windows the customer proposed for ``order`` (as the tours pick
        them), earliest first."""
        self.assertEqual(order.arrival_window_ids.mapped("state"), ["proposed", "proposed"])
        return order.arrival_window_ids.sorted("window_start")

    @classmethod
    def _service_customer(cls, name, domain, **values):
        state = cls.env.ref("base.state_us_14", raise_if_not_found=False)
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"office@{domain}",
                "city": "Springfield",
                "zip": "62701",
                "country_id": cls.env.ref("base.us").id,
                "state_id": state.id if state else False,
                "tz": "America/Chicago",
                **values,
            }
        )

    @classmethod
    def _service_site(cls, customer, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "service_is_job_site": True,
                "type": "other",
                "city": customer.city,
                "zip": customer.zip,
                "state_id": customer.state_id.id,
                "country_id": customer.country_id.id,
                **values,
            }
        )

    @classmethod
    def _service_day(cls, days, hour):
        """A UTC datetime ``days`` from today at ``hour`` o'clock, as the demo dates them."""
        today = fields.Datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
        return today + relativedelta(days=days, hour=hour)

    @classmethod
    def _service_order(cls, site, kind, start, end, state="scheduled", **values):
        """An order at ``site`` of its customer, assigned to ``technician_user`` unless
        ``technician_ids`` is given."""
        return cls.env["service.order"].create(
            {
                "kind": kind,
                "partner_id": site.parent_id.id,
                "site_id": site.id,
                "date_start": start,
                "date_end": end,
                "state": state,
                "technician_ids": [Command.set(cls.technician_user.ids)],
                **values,
            }
        )

    @classmethod
    def _service_next_hour(cls):
        """The next full hour, at the latest 23:00 UTC today: a visit today still to come."""
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        return min(now + relativedelta(hours=1), cls._service_day(0, 23))

    # ------------------------------------------------------------------
    # The base committed, for the tests in which other cursors must see it
    # ------------------------------------------------------------------

    @classmethod
    def _service_committed(cls, func):
        """Run ``func(env)`` (superuser) in a cursor of its own, committed when it returns, as
        Odoo runs a request or a cron job; return what it returns."""
        with cls.registry.cursor() as cr:
            return func(api.Environment(cr, api.SUPERUSER_ID, {}))

    def _service_setup_committed(self, setup):
        """Build this base with its class method ``setup`` (``_setup_service_portal`` or a
        base built on it) in a committed cursor, and delete it again after the test.

        For the concurrency tests, whose other cursors (other workers) see committed records
        only: the test transaction cannot hold them. Return ``{attribute: (model, ids)}`` of
        the records the set-up made, in the order it made them; ``_service_browse`` gives them
        in the cursor at hand.
        """

        def build(env):
            # a copy of the class bound to this cursor: its attributes are the records made
            builder = type(f"{type(self).__name__}Committed", (type(self),), {"env": env})
            getattr(builder, setup)()
            return {
                name: (value._name, value.ids)
                for name, value in vars(builder).items()
                if isinstance(value, models.BaseModel)
            }

        created = self._service_committed(build)
        self.addCleanup(
            self._service_committed, lambda env: self._service_unlink_committed(env, created)
        )
        return created

    @staticmethod
    def _service_browse(env, created):
        """The records of ``_service_setup_committed`` in ``env``, by attribute."""
        return SimpleNamespace(
            **{name: env[model].browse(ids) for name, (model, ids) in created.items()}
        )

    @classmethod
    def _service_unlink_committed(cls, env, created):
        """Delete what ``_service_setup_committed`` made, the last made first: the database
        is left as the test found it."""
        for name, (model, ids) in reversed(created.items()):
            cls._service_unlink_created(env, name, env[model].browse(ids).exists())

    @classmethod
    def _service_unlink_created(cls, env, name, records):
        """Delete the records of the attribute ``name``; those named ``set_aside_...`` were
        archived by the set-up (so that its own records alone count): they are put back."""
        if name.startswith("set_aside_"):
            records.active = True
            return
        if records._name == "res.users":
            partners = records.partner_id
            records.unlink()
            records = partners
        if records._name == "res.partner":
            registrations = env["service.portal.registration"].search(
                [("partner_id", "in", records.ids)]
            )
            registrations.unlink()
        records.unlink()

    @classmethod
    def _setup_service_portal(cls):
        Partner = cls.env["res.partner"]
        # customers and their job sites
        cls.winslow = cls._service_customer(
            "Winslow Holdings", "winslow-holdings.example", street="1 Winslow Road"
        )
        cls.north = cls._service_site(
            cls.winslow, "North Campus", street="200 North Avenue", zip="62702"
        )
        cls.south = cls._service_site(
            cls.winslow, "South Campus", street="800 South Street", zip="62703"
        )
        cls.parkway = cls._service_customer(
            "Parkway Theatres",
            "parkway-theatres.example",
            street="45 Parkway Boulevard",
            city="Shelbyville",
            zip="62565",
        )
        cls.parkway_site = cls._service_site(cls.parkway, "Downtown Theatre", street="9 Main St")

        # portal access levels
        cls.manager_user = cls._service_portal_user(
            "Wanda Winslow", "wanda@winslow-holdings.example", cls.winslow, phone="+1 217 555 0101"
        )
        cls.north_user = cls._service_portal_user(
            "Nick Northcott", "nick@winslow-holdings.example", cls.north, phone="+1 217 555 0102"
        )
        cls.parkway_user = cls._service_portal_user(
            "Paula Parker", "paula@parkway-theatres.example", cls.parkway, phone="+1 217 555 0103"
        )
        cls.waiting_user = cls._service_new_user(
            "wes.waiting@example.org", "base.group_portal", name="Wes Waiting"
        )
        cls.env["service.portal.registration"].sudo().create(
            {
                "name": "Wes Waiting",
                "email": "wes.waiting@example.org",
                "partner_id": cls.waiting_user.partner_id.id,
                "state": "waiting",
            }
        )
        cls.contact_no_user = Partner.create(
            {
                "name": "Sid Southgate",
                "email": "sid@winslow-holdings.example",
                "parent_id": cls.south.id,
            }
        )

        # staff
        cls.service_user = cls._service_new_user(
            "dora.dispatch@service-staff.example",
            "base.group_user,service_portal.group_service_user",
            name="Dora Dispatch",
        )
        cls.service_manager = cls._service_new_user(
            "max.manager@service-staff.example",
            "base.group_user,service_portal.group_service_manager",
            name="Max Manager",
        )
        cls.technician_user = cls._service_new_user(
            "marc@service-staff.example",
            "base.group_user,service_portal.group_service_user",
            name="Marc Fixwell",
        )

        # equipment
        Equipment = cls.env["service.equipment"]
        today = fields.Date.context_today(Equipment)
        cls.north_equipment = Equipment.create(
            {
                "name": "Library boiler",
                "model": "Vulcan HX-200",
                "serial_number": "VHX-2019-0042",
                "partner_id": cls.winslow.id,
                "site_id": cls.north.id,
                "install_date": today - relativedelta(years=3),
                "warranty_end": today + relativedelta(months=9),
                "maintenance_interval": 6,
            }
        )
        cls.south_equipment = Equipment.create(
            {
                "name": "Loading-bay door",
                "model": "RollMaster 3000",
                "serial_number": "RM3-77810",
                "partner_id": cls.winslow.id,
                "site_id": cls.south.id,
                "install_date": today - relativedelta(years=6),
                "warranty_end": today - relativedelta(years=1),
                "maintenance_interval": 12,
            }
        )
        cls.parkway_equipment = Equipment.create(
            {
                "name": "Screen 2 projector",
                "model": "CineBeam 4K",
                "serial_number": "CB4K-5531",
                "partner_id": cls.parkway.id,
                "site_id": cls.parkway_site.id,
                "install_date": today - relativedelta(years=1),
            }
        )

        # service orders: scheduled, done, install, today, the other customer's
        cls.north_order = cls._service_order(
            cls.north,
            "maintenance",
            cls._service_day(3, 15),
            cls._service_day(3, 17),
            equipment_id=cls.north_equipment.id,
            description="<p>Half-yearly maintenance of the library boiler.</p>",
        )
        cls.north_done_order = cls._service_order(
            cls.north,
            "service",
            cls._service_day(-20, 15),
            cls._service_day(-20, 18),
            state="done",
            equipment_id=cls.north_equipment.id,
            description="<p>The boiler stops at night.</p>",
            completion_report="<p>Replaced the pressure sensor and bled the radiators.</p>",
        )
        cls.south_order = cls._service_order(
            cls.south,
            "install",
            cls._service_day(10, 14),
            cls._service_day(10, 22),
            technician_ids=[],
            description="<p>Install a second loading-bay door.</p>",
        )
        cls.parkway_order = cls._service_order(
            cls.parkway_site,
            "service",
            cls._service_day(2, 16),
            False,
            technician_ids=[],
            equipment_id=cls.parkway_equipment.id,
        )
        now = cls._service_next_hour()
        cls.north_today_order = cls._service_order(
            cls.north,
            "maintenance",
            now,
            now + relativedelta(hours=2),
            description="<p>Check the radiators of the north library.</p>",
        )
        cls.parkway_today_order = cls._service_order(
            cls.parkway_site,
            "maintenance",
            now,
            now + relativedelta(hours=1),
            equipment_id=cls.parkway_equipment.id,
            description="<p>Clean the projector's air filters.</p>",
        )
        cls.parkway_done_order = cls._service_order(
            cls.parkway_site,
            "service",
            cls._service_day(-6, 14),
            cls._service_day(-6, 16),
            state="done",
            equipment_id=cls.parkway_equipment.id,
            description="<p>The projector's picture flickers.</p>",
            completion_report="<p>Replaced the lamp driver board.</p>",
        )

        # documents: published on equipment, unpublished, on a site
        Document = cls.env["service.document"]
        cls.north_document = Document.create(
            {
                "name": "Boiler safety certificate",
                "equipment_id": cls.north_equipment.id,
                "file": _b64(PDF_BYTES),
                "file_name": "boiler-certificate.pdf",
                "published": True,
            }
        )
        cls.unpublished_document = Document.create(
            {
                "name": "Internal pricing notes (not published)",
                "equipment_id": cls.north_equipment.id,
                "file": _b64(b"Internal only\n"),
                "file_name": "internal.txt",
                "published": False,
            }
        )
        cls.south_document = Document.create(
            {
                "name": "Loading-bay door manual",
                "equipment_id": cls.south_equipment.id,
                "file": _b64(b"Door manual\n"),
                "file_name": "door-manual.txt",
                "published": True,
            }
        )
        cls.parkway_document = Document.create(
            {
                "name": "Projection booth floor plan",
                "partner_id": cls.parkway.id,
                "site_id": cls.parkway_site.id,
                "file": _b64(b"Floor plan\n"),
                "file_name": "floor-plan.txt",
                "published": True,
            }
        )


class ServicePortalCase(ServicePortalCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()


class ServicePortalHttpCase(ServicePortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_service_portal()

    def login_as(self, user):
        self.authenticate(user.login, self.PASSWORDS[user.login])

    def csrf_token_for_session(self):
        return http.Request.csrf_token(self)


class ServicePortalDemoMixin:
    """The demo customers, for the tests tagged ``service_demo`` only (their subject is the
    demo data): Winslow Estates (two sites; Wanda sees both, Nick only North) and Parkway
    Cinemas (Paula), unrelated to Winslow."""

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
