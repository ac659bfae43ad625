from odoo.addons.service_portal.tests.a11y import AxeTourMixin, FieldErrorAssertions
from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestRequestFormErrorsAccessibility(
    FieldErrorAssertions, AxeTourMixin, HelpdeskCommon, PortalHttpMixin, HttpCase
):
    """The request form (its fixed fields and the questions of the request type) answered
    with an error: the refused field has aria-invalid and points at its own message
    (aria-describedby); the outcome above the form is an alert that takes the focus."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _submit(self, data):
        """The form again after the refusal (the post redirects back to it)."""
        response = self._post("/my/requests/new", data)
        self.assertEqual(response.status_code, 303)
        return self.url_open(response.headers["Location"])

    def test_each_refused_field_points_at_its_message(self):
        self._login("manager")
        since, safety = f"question_{self.q_since.id}", f"question_{self.q_safety.id}"
        area, count = f"question_{self.q_area.id}", f"question_{self.q_count.id}"
        cases = [
            ({since: "31/31/2026"}, [since], "Please enter a date"),
            ({safety: "maybe"}, [f"{safety}_yes", f"{safety}_no"], "Please answer yes or no"),
            ({area: "Plumbing"}, [area], "Please pick one of the proposed"),
            ({count: "many"}, [count], "Please enter a number"),
            ({"subject": ""}, ["subject"], "Please give your request a subject"),
            ({"description": "  "}, ["description"], "Please describe your request"),
        ]
        for overrides, field_ids, message in cases:
            with self.subTest(fields=field_ids):
                page = self._submit(self._breakdown_form(**overrides))
                self.assert_field_error(page.text, field_ids, message)
        # refused fields at once: each is marked with its own message, nothing else is
        wrong = {
            count: "many",
            "description": " ",
            since: "yesterday",
            "site_id": str(self.site_parkway.id),  # another customer's site
        }
        page = self._submit(self._breakdown_form(**wrong))
        self.assert_field_error(
            page.text,
            ["description", "site_id", since, count],
            {
                "description": "Please describe your request",
                "site_id": "Please pick one of your job sites",
                since: "Please enter a date",
                count: "Please enter a number",
            },
        )
        self.assertIn('value="Boiler leaking"', page.text, "what was typed is kept")
        page = self._submit(self._breakdown_form(**{count: "many"}))
        self.assert_field_error(page.text, [count], "Please enter a number")
        self.assertFalse(
            self.env["service.ticket"].search([("subject", "=", "Boiler leaking")]),
            "a refused request records nothing",
        )

    def test_request_form_showing_errors_is_accessible(self):
        """axe (and reflow at 320 px) on the request form with its questions as it shows
        an error: a description of spaces passes the browser, not the server."""
        self.manager_user.password = self.manager_user.login
        url = f"/my/requests/new?type_id={self.type_breakdown.id}"
        self.assert_pages_accessible(
            self.manager_user.login,
            [
                (
                    url,
                    ".o_request_form_ready #description[aria-invalid=true]"
                    "[aria-describedby=description_error]",
                    [
                        {
                            "trigger": ".o_request_form_ready select#site_id",
                            "run": "selectByIndex 1",
                        },
                        {"trigger": "input#subject", "run": "edit Boiler leaking"},
                        {"trigger": "textarea#description", "setValue": "   "},
                        {"trigger": f"input#question_{self.q_since.id}", "setValue": "2026-11-20"},
                        {"trigger": f"input#question_{self.q_safety.id}_no", "run": "click"},
                        {"trigger": f"select#question_{self.q_area.id}", "run": "selectByIndex 1"},
                        {"trigger": f"input#question_{self.q_count.id}", "run": "edit 2"},
                        {
                            "trigger": "button.o_submit_request",
                            "run": "click",
                            "expectUnloadPage": True,
                        },
                    ],
                ),
            ],
        )
