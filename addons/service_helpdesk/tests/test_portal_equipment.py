import re

from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalRequestEquipment(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.boiler = cls.north_equipment
        cls.door = cls.south_equipment
        cls.projector = cls.parkway_equipment

    def _form(self, query):
        return self.url_open(f"/my/requests/new?{query}")

    def _option(self, html, equipment):
        """The <option> tag of that equipment in the page, or None."""
        match = re.search(rf'<option[^>]*value="{equipment.id}"[^>]*>', html)
        return match and match.group(0)

    def _data(self, **overrides):
        data = {
            "type_id": self.type_question.id,
            "subject": "Strange noise",
            "description": "It rattles every morning.",
        }
        data.update(overrides)
        return data

    def _tickets(self):
        return self.env["service.ticket"].search([("subject", "=", "Strange noise")])

    def test_picker_offers_only_the_equipment_the_contact_may_see(self):
        self._login("manager")
        html = self._form(f"type_id={self.type_question.id}").text
        self.assertTrue(self._option(html, self.boiler))
        self.assertTrue(self._option(html, self.door))
        self.assertIsNone(self._option(html, self.projector))
        self.assertNotIn("Screen 2 projector", html)
        self._login("north")
        html = self._form(f"type_id={self.type_question.id}").text
        self.assertTrue(self._option(html, self.boiler))
        self.assertIsNone(self._option(html, self.door))
        self.assertNotIn("Loading-bay door", html)
        self._login("parkway")
        html = self._form(f"type_id={self.type_question.id}").text
        self.assertTrue(self._option(html, self.projector))
        self.assertIsNone(self._option(html, self.boiler))

    def test_picker_follows_the_chosen_site(self):
        self._login("manager")
        html = self._form(f"type_id={self.type_question.id}&site_id={self.site_north.id}").text
        self.assertNotIn("disabled", self._option(html, self.boiler))
        self.assertIn("disabled", self._option(html, self.door))
        self.assertIn(f'data-site-id="{self.site_south.id}"', self._option(html, self.door))

    def test_prefill_equipment_and_site(self):
        self._login("manager")
        html = self._form(f"type_id={self.type_breakdown.id}&equipment_id={self.door.id}").text
        self.assertIn("selected", self._option(html, self.door))
        # the site of the equipment is chosen with it
        site_option = re.search(rf'<option[^>]*value="{self.site_south.id}"[^>]*>', html)
        self.assertIn("selected", site_option.group(0))
        self.assertIn("disabled", self._option(html, self.boiler))
        # on the nature step, the links carry the prefill on
        html = self._form(f"equipment_id={self.door.id}&site_id={self.site_south.id}").text
        self.assertIn(
            f"type_id={self.type_breakdown.id}&amp;site_id={self.site_south.id}"
            f"&amp;equipment_id={self.door.id}",
            html,
        )

    def test_prefill_of_equipment_at_another_site_is_dropped_with_a_message(self):
        self._login("manager")
        response = self._form(
            f"type_id={self.type_question.id}&site_id={self.site_north.id}"
            f"&equipment_id={self.door.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("This equipment is not at the chosen job site", response.text)
        self.assertNotIn("selected", self._option(response.text, self.door))

    def test_prefill_of_a_foreign_or_unknown_equipment_is_dropped_with_a_message(self):
        self._login("north")
        for value in (self.door.id, self.projector.id, 999999, "abc", -3):
            with self.subTest(value=value):
                response = self._form(f"type_id={self.type_question.id}&equipment_id={value}")
                self.assertEqual(response.status_code, 200)
                if value != "abc":
                    self.assertIn("This equipment is not one of yours", response.text)
                self.assertNotIn("Screen 2 projector", response.text)
                self.assertNotIn("Loading-bay door", response.text)
        response = self._form(f"equipment_id={self.projector.id}&site_id={self.site_parkway.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("This equipment is not one of yours", response.text)
        self.assertNotIn(f"equipment_id={self.projector.id}", response.text)
        self.assertNotIn(f"site_id={self.site_parkway.id}", response.text)

    def test_submit_with_equipment(self):
        self._login("north")
        response = self._post("/my/requests/new", self._data(equipment_id=self.boiler.id))
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self._tickets()
        self.assertEqual(ticket.equipment_id, self.boiler)
        self.assertEqual(ticket.site_id, self.site_north)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_request_equipment_name", page)
        self.assertIn("Library boiler", page)

    def test_equipment_brings_its_site_when_none_is_chosen(self):
        self._login("manager")
        response = self._post("/my/requests/new", self._data(equipment_id=self.door.id))
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self._tickets()
        self.assertEqual(ticket.equipment_id, self.door)
        self.assertEqual(ticket.site_id, self.site_south)

    def _assert_refused(self, data, message):
        response = self._assert_outcome(self._post("/my/requests/new", data), error=message)
        self.assertFalse(self._tickets())
        return response

    def test_foreign_or_unknown_equipment_is_refused_and_nothing_is_written(self):
        self._login("north")
        count = self.env["service.ticket"].search_count([])
        for value in (self.door.id, self.projector.id, 999999, "abc", "-1", "1.5"):
            with self.subTest(value=value):
                response = self._assert_refused(
                    self._data(equipment_id=value), "This equipment is not one of yours"
                )
                # what was typed is kept, the foreign equipment is never shown
                self.assertIn("It rattles every morning.", response.text)
                self.assertNotIn("Screen 2 projector", response.text)
        self.assertEqual(self.env["service.ticket"].search_count([]), count)

    def test_equipment_of_another_site_than_the_chosen_one_is_refused(self):
        self._login("manager")
        self._assert_refused(
            self._data(site_id=self.site_north.id, equipment_id=self.door.id),
            "This equipment is not at the chosen job site",
        )

    def test_hidden_equipment_section_offers_no_picker(self):
        self.env["ir.config_parameter"].sudo().set_param("service_portal.hide_equipment", "1")
        self._login("manager")
        html = self._form(f"type_id={self.type_question.id}").text
        self.assertNotIn("o_request_equipment", html)
        self._assert_refused(
            self._data(equipment_id=self.boiler.id), "This equipment is not one of yours"
        )
        # without equipment the form still works
        response = self._post("/my/requests/new", self._data())
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self._tickets().equipment_id)

    def test_equipment_page_links_to_the_prefilled_form(self):
        self._login("north")
        page = self.url_open(f"/my/equipment/{self.boiler.id}").text
        self.assertIn(f"/my/requests/new?equipment_id={self.boiler.id}", page)
