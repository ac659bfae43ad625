"""The technician's checklist, parts and time, and the equipment's past in /my/work."""

from odoo import http
from odoo.addons.service_portal.exceptions import FieldUserError
from odoo.addons.service_portal.tests.a11y import AxeTourMixin, FieldErrorAssertions
from odoo.addons.service_portal.tests.fit import FitTourMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import LicensingCommon


class WorkChecklistSetup(LicensingCommon):
    @classmethod
    def _setup_work(cls):
        cls._setup_licensing_base()
        cls.order = cls.north_order  # maintenance, Terry's
        cls.done_order = cls.north_done_order  # same boiler, done
        cls.not_assigned = cls.south_order
        Item = cls.env["service.checklist.item"]
        Item.search([]).active = False
        cls.steps = Item.create(
            [
                {"kind": "maintenance", "sequence": 1, "name": "Bleed the radiators"},
                {"kind": "maintenance", "sequence": 2, "name": "Check the pressure"},
                {"kind": "install", "sequence": 1, "name": "Mount the door"},
            ]
        )
        # an order created before its kind had a checklist: it gets it at the first tick
        orders = cls.order | cls.not_assigned | cls.parkway_order
        orders.sudo().checklist_line_ids.unlink()
        orders.sudo().usage_line_ids.unlink()
        cls.not_assigned._checklist_ensure()
        cls.certificate = cls.north_document
        cls.internal = cls.unpublished_document
        cls.south_manual = cls.south_document
        cls.parkway_plan = cls.parkway_document


@tagged("post_install", "-at_install")
class TestWorkChecklistModels(WorkChecklistSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_work()
        cls.as_terry = cls.order.with_user(cls.terry)
        cls.lines_as_terry = cls.env["service.order.checklist.line"].with_user(cls.terry)
        cls.usage_as_terry = cls.env["service.order.usage"].with_user(cls.terry)

    def test_first_tick_copies_the_checklist_then_ticks(self):
        self.assertEqual(self.as_terry._technician_checklist(), self.steps[:2])
        line = self.lines_as_terry._technician_tick(
            self.order, item_id=str(self.steps[1].id), done=True
        )
        lines = self.order.checklist_line_ids
        self.assertEqual(lines.mapped("name"), ["Bleed the radiators", "Check the pressure"])
        self.assertEqual(line, lines[1])
        self.assertTrue(line.done)
        self.assertEqual(line.done_by_id, self.terry)
        self.assertTrue(line.done_on)
        self.assertEqual(self.as_terry._technician_checklist(), lines)
        self.lines_as_terry._technician_tick(self.order, line_id=str(line.id), done=False)
        self.assertFalse(line.done)
        self.assertFalse(line.done_by_id)

    def test_tick_refuses_other_lines_and_closed_orders(self):
        self.order._checklist_ensure()
        other_line = self.not_assigned.checklist_line_ids[0]
        for kwargs in (
            {"line_id": str(other_line.id)},
            {"line_id": "abc"},
            {"line_id": "-3"},
            {"line_id": "9" * 30},
            {"item_id": str(self.steps[2].id)},  # a step of another kind
            {},
        ):
            with self.subTest(**kwargs), self.assertRaises(FieldUserError) as caught:
                self.lines_as_terry._technician_tick(self.order, **kwargs)
            self.assertEqual(caught.exception.field, "checklist")
        self.assertFalse(other_line.done)
        with self.assertRaises(AccessError):
            self.lines_as_terry._technician_tick(self.not_assigned, line_id=str(other_line.id))
        self.order.state = "done"
        with self.assertRaisesRegex(UserError, "not open any more"):
            self.lines_as_terry._technician_tick(
                self.order, line_id=str(self.order.checklist_line_ids[0].id)
            )

    def test_usage_parts_and_time(self):
        product = self.env["product.product"].create(
            {"name": "Pressure sensor PS-9", "default_code": "PS9", "type": "consu"}
        )
        part = self.usage_as_terry._technician_add(self.order, "part", "  ps9 ", "2")
        self.assertEqual((part.product_id, part.quantity, part.user_id), (product, 2, self.terry))
        free = self.usage_as_terry._technician_add(self.order, "part", "Teflon tape 50%", "1,5")
        self.assertFalse(free.product_id, "a wildcard matches no product")
        self.assertEqual((free.name, free.quantity), ("Teflon tape 50%", 1.5))
        time = self.usage_as_terry._technician_add(self.order, "time", hours="0.75")
        self.assertEqual((time.usage_type, time.quantity), ("time", 0.75))
        self.assertEqual(self.order.usage_hours, 0.75)
        self.assertEqual(len(self.order.usage_line_ids), 3)

    def test_usage_bad_input_names_the_field(self):
        cases = [
            (("part", "", "1"), "usage_part"),
            (("part", "x" * 201, "1"), "usage_part"),
            (("part", ["list"], "1"), "usage_part"),
            (("part", "Valve", "0"), "usage_quantity"),
            (("part", "Valve", "-2"), "usage_quantity"),
            (("part", "Valve", "1001"), "usage_quantity"),
            (("part", "Valve", "1e308"), "usage_quantity"),
            (("part", "Valve", "nan"), "usage_quantity"),
            (("part", "Valve", "inf"), "usage_quantity"),
            (("part", "Valve", "two"), "usage_quantity"),
            (("part", "Valve", "9" * 400), "usage_quantity"),
            (("part", "Valve", None), "usage_quantity"),
            (("time", None, None, "25"), "usage_hours"),
            (("time", None, None, "-1"), "usage_hours"),
            (("time", None, None, "0.001"), "usage_hours"),
            (("time", None, None, ""), "usage_hours"),
        ]
        for args, field in cases:
            with self.subTest(args=str(args)[:60]), self.assertRaises(FieldUserError) as caught:
                self.usage_as_terry._technician_add(self.order, *args)
            self.assertEqual(caught.exception.field, field)
        with self.assertRaises(UserError):
            self.usage_as_terry._technician_add(self.order, "bogus", "Valve", "1")
        self.assertFalse(self.order.usage_line_ids)

    def test_technician_removes_own_entries_only(self):
        own = self.usage_as_terry._technician_add(self.order, "part", "Valve", "1")
        staff = self.env["service.order.usage"].create(
            {"order_id": self.order.id, "name": "Boiler pump", "quantity": 1}
        )
        with self.assertRaises(FieldUserError):
            self.usage_as_terry._technician_remove(self.order, str(staff.id))
        self.usage_as_terry._technician_remove(self.order, str(own.id))
        self.assertEqual(self.order.usage_line_ids, staff)

    def test_history_and_documents_of_the_equipment_only(self):
        history = self.as_terry._technician_history()
        self.assertIn(self.done_order, history)
        self.assertNotIn(self.order, history)
        self.assertFalse(history.filtered(lambda o: o.partner_id != self.order.partner_id))
        documents = self.as_terry._technician_documents()
        self.assertIn(self.certificate, documents)
        for other in (self.internal, self.south_manual, self.parkway_plan):
            self.assertNotIn(other, documents)
        self.env["ir.config_parameter"].set_param("service_portal.hide_documents", "1")
        self.assertFalse(self.as_terry._technician_documents())
        for method in ("_technician_history", "_technician_documents", "_technician_checklist"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.not_assigned.with_user(self.terry), method)()


@tagged("post_install", "-at_install")
class TestWorkChecklistRoutes(WorkChecklistSetup, FieldErrorAssertions, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_work()

    def setUp(self):
        super().setUp()
        self.authenticate(self.terry.login, self.terry.login)

    def _post(self, url, data=None):
        return self.url_open(
            url, data={**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        )

    def test_page_lists_checklist_usage_history_documents(self):
        page = self.url_open(f"/my/work/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        section = page.text[page.text.index('id="service_work_checklist"') :]
        self.assertIn("Bleed the radiators", section)
        self.assertIn(f'name="item_id" value="{self.steps[0].id}"', section)
        self.assertIn("No part or time recorded yet.", page.text)
        history = page.text[page.text.index('id="service_work_history"') :]
        self.assertIn(self.done_order.name, history)
        self.assertIn("Replaced the pressure sensor", history)
        self.assertIn(f"/my/work/{self.order.id}/documents/{self.certificate.id}", history)
        for other in (self.internal, self.south_manual, self.parkway_plan):
            self.assertNotIn(other.name, page.text)
        self.assertNotIn(self.parkway_order.name, page.text)

    def test_tick_and_record_from_the_phone(self):
        page = self._post(
            f"/my/work/{self.order.id}/checklist", {"item_id": self.steps[0].id, "done": "1"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Saved.", page.text)
        line = self.order.checklist_line_ids[0]
        self.assertTrue(line.done)
        self.assertEqual(line.done_by_id, self.terry)
        self.assertIn("Checked by Terry Tech", page.text)
        self.assertIn('aria-pressed="true"', page.text)
        self._post(f"/my/work/{self.order.id}/checklist", {"line_id": line.id, "done": "0"})
        self.assertFalse(line.done)
        page = self._post(
            f"/my/work/{self.order.id}/usage",
            {"usage_type": "part", "part": "Gasket", "quantity": "3"},
        )
        self.assertIn("Saved.", page.text)
        page = self._post(f"/my/work/{self.order.id}/usage", {"usage_type": "time", "hours": "1.5"})
        self.assertEqual(
            [(u.name, u.quantity) for u in self.order.usage_line_ids],
            [("Gasket", 3), ("Time on site", 1.5)],
        )
        self.assertIn("1.5 h", page.text)
        gasket = self.order.usage_line_ids[0]
        self._post(f"/my/work/{self.order.id}/usage/remove", {"usage_id": gasket.id})
        self.assertFalse(gasket.exists())

    def test_hostile_input_is_refused_clearly(self):
        other_line = self.not_assigned.checklist_line_ids[0]
        cases = [
            ("checklist", {"line_id": other_line.id, "done": "1"}, "not on the checklist"),
            ("checklist", {"line_id": "abc", "done": "1"}, "not on the checklist"),
            ("checklist", {"done": "1"}, "not on the checklist"),
            ("usage", {"usage_type": "part", "part": "Gasket", "quantity": "-1"}, "more than 0"),
            ("usage", {"usage_type": "part", "part": "Gasket", "quantity": "1e12"}, "at most"),
            ("usage", {"usage_type": "part", "part": "Gasket", "quantity": "abc"}, "not a number"),
            ("usage", {"usage_type": "part", "quantity": "1"}, "Name the part"),
            ("usage", {"usage_type": "time", "hours": "99"}, "24 at most"),
            ("usage", {"usage_type": "time", "hours": "0"}, "more than 0"),
            ("usage", {"usage_type": "nope"}, "Record a part or time"),
            ("usage/remove", {"usage_id": "1' or 1=1"}, "not one of yours"),
        ]
        for action, data, message in cases:
            with self.subTest(action=action, data=data):
                response = self._post(f"/my/work/{self.order.id}/{action}", data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
                self.assertIn('id="service_error"', response.text)
                self.assertNotIn("Saved.", response.text)
        self.assertFalse(self.order.usage_line_ids)
        self.assertFalse(other_line.done)
        self.assertFalse(any(self.order.checklist_line_ids.mapped("done")))

    def test_error_marks_its_field_and_keeps_the_value(self):
        cases = [
            ({"usage_type": "part", "part": "Gasket", "quantity": "-4"}, "usage_quantity"),
            ({"usage_type": "part", "part": " ", "quantity": "1"}, "usage_part"),
            ({"usage_type": "time", "hours": "abc"}, "usage_hours"),
        ]
        for data, field in cases:
            with self.subTest(field=field):
                page = self._post(f"/my/work/{self.order.id}/usage", data)
                with self.assertRaises(FieldUserError) as caught:  # the same message
                    self.env["service.order.usage"].with_user(self.terry)._technician_add(
                        self.order,
                        data["usage_type"],
                        data.get("part"),
                        data.get("quantity"),
                        data.get("hours"),
                    )
                self.assert_field_error(page.text, field, caught.exception.args[0])
        self.assertRegex(page.text, r'id="usage_hours"[^>]*value="abc"', "typed value kept")

    def test_document_download_is_limited_to_the_order(self):
        url = f"/my/work/{self.order.id}/documents/%s"
        response = self.url_open(url % self.certificate.id)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        for other in (self.internal, self.south_manual, self.parkway_plan):
            with self.subTest(document=other.name):
                self.assertEqual(self.url_open(url % other.id).status_code, 404)
        self.assertEqual(self.url_open(url % 999999999).status_code, 404)
        # another order's route: not assigned, or another customer's
        for order in (self.not_assigned, self.parkway_order):
            path = f"/my/work/{order.id}/documents/{self.certificate.id}"
            self.assertEqual(self.url_open(path).status_code, 404)

    def test_others_get_404_or_403(self):
        line = self.not_assigned.checklist_line_ids[0]
        posts = {
            "checklist": {"line_id": line.id, "done": "1"},
            "usage": {"usage_type": "part", "part": "Gasket", "quantity": "1"},
        }
        # the technician on orders not assigned to them, of their customer or another one
        for order in (self.not_assigned, self.parkway_order):
            for action, data in posts.items():
                with self.subTest(order=order.name, action=action):
                    self.assertEqual(
                        self._post(f"/my/work/{order.id}/{action}", data).status_code, 404
                    )
        # the order's customer and another customer: no workspace at all
        for login, password in (
            (self.manager_user.login, self.manager_user.login),
            (self.parkway_user.login, self.parkway_user.login),
        ):
            self.authenticate(login, password)
            for action, data in posts.items():
                with self.subTest(login=login, action=action):
                    response = self._post(f"/my/work/{self.order.id}/{action}", data)
                    self.assertEqual(response.status_code, 403)
            response = self.url_open(f"/my/work/{self.order.id}/documents/{self.certificate.id}")
            self.assertEqual(response.status_code, 403)
        # a visitor is sent to the login page
        self.authenticate(None, None)
        response = self.url_open(f"/my/work/{self.order.id}/documents/{self.certificate.id}")
        self.assertIn("/web/login", response.url)
        self.assertFalse(line.done)
        self.assertFalse(self.order.usage_line_ids | self.not_assigned.usage_line_ids)
        self.assertFalse(self.parkway_order.usage_line_ids)

    def test_technician_ticks_and_records_a_part_at_phone_width(self):
        self.terry.password = self.terry.login
        self._service_tour(
            f"/my/work/{self.order.id}", "service_licensing_work_checklist", self.terry
        )
        line = self.order.checklist_line_ids.filtered(lambda step: step.item_id == self.steps[0])
        self.assertTrue(line.done)
        self.assertEqual(line.done_by_id, self.terry)
        self.assertEqual([(u.name, u.quantity) for u in self.order.usage_line_ids], [("Gasket", 2)])


class WorkPageState(WorkChecklistSetup):
    """The work page with every field section filled: a ticked step, parts and time,
    names made of long words."""

    WORD = "Kesselwartungsvertragsverlaengerungsbestaetigung" * 2

    @classmethod
    def _setup_page(cls):
        cls._setup_work()
        cls.terry.password = cls.terry.login
        Lines = cls.env["service.order.checklist.line"].with_user(cls.terry)
        Lines._technician_tick(cls.order, item_id=str(cls.steps[0].id), done=True)
        cls.order.checklist_line_ids[1].name = f"Check {cls.WORD}"
        Usage = cls.env["service.order.usage"].with_user(cls.terry)
        Usage._technician_add(cls.order, "part", f"Gasket {cls.WORD}", "2")
        Usage._technician_add(cls.order, "time", hours="1.25")
        cls.done_order.completion_report = f"<p>Replaced {cls.WORD}</p>"
        cls.certificate.name = f"Certificate {cls.WORD}"


@tagged("post_install", "-at_install")
class TestWorkChecklistAccessibility(WorkPageState, AxeTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_page()

    def test_work_page_with_field_sections(self):
        url = f"/my/work/{self.order.id}"
        self.assert_pages_accessible(
            self.terry.login,
            [
                (url, "#service_work_usage"),
                (
                    url,
                    "#service_error",
                    [
                        # an empty part: only the server refuses it
                        {
                            "trigger": "#service_work_usage_part_add",
                            "run": "click",
                            "expectUnloadPage": True,
                        }
                    ],
                ),
            ],
        )


@tagged("post_install", "-at_install")
class TestWorkChecklistFitsScreen(WorkPageState, FitTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_page()

    def test_work_page_with_field_sections_fits(self):
        self.assert_pages_fit(self.terry.login, [(f"/my/work/{self.order.id}", "main")])
