from odoo.tests import HttpCase, tagged

from .common import PNG_BYTES, HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestPortalRequestPages(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def test_list_shows_open_requests_of_the_scope_by_default(self):
        self._login("north")
        response = self.url_open("/my/requests")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.north_ticket.subject, response.text)
        self.assertNotIn(self.completed_ticket.subject, response.text)
        self.assertNotIn(self.south_ticket.subject, response.text)
        self.assertNotIn(self.parkway_ticket.subject, response.text)

    def test_list_filters_completed_and_all(self):
        self._login("north")
        completed = self.url_open("/my/requests?filterby=completed").text
        self.assertIn(self.completed_ticket.subject, completed)
        self.assertNotIn(self.north_ticket.subject, completed)
        everything = self.url_open("/my/requests?filterby=all").text
        self.assertIn(self.completed_ticket.subject, everything)
        self.assertIn(self.north_ticket.subject, everything)

    def test_company_contact_lists_every_site_grouped(self):
        self._login("manager")
        response = self.url_open("/my/requests?groupby=site&filterby=all")
        self.assertEqual(response.status_code, 200)
        for ticket in (self.north_ticket, self.south_ticket, self.completed_ticket):
            self.assertIn(ticket.subject, response.text)
        self.assertIn("North Campus", response.text)
        self.assertIn("South Campus", response.text)
        self.assertNotIn(self.parkway_ticket.subject, response.text)

    def test_list_search_and_bad_parameters_never_fail(self):
        self._login("manager")
        response = self.url_open("/my/requests?search=loading-bay&filterby=all")
        self.assertIn(self.south_ticket.subject, response.text)
        self.assertNotIn(self.north_ticket.subject, response.text)
        for query in (
            "filterby=nope&sortby=nope&groupby=nope&search_in=nope",
            "search=%25%27%22%3Cscript%3E",
            "sortby=subject&search_in=name&search=REQ",
        ):
            with self.subTest(query=query):
                self.assertEqual(self.url_open(f"/my/requests?{query}").status_code, 200)
        self.assertEqual(self.url_open("/my/requests/page/999").status_code, 200)

    def test_request_page_shows_answers_status_and_chatter(self):
        self._login("north")
        response = self.url_open(f"/my/requests/{self.north_ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.north_ticket.subject, response.text)
        self.assertIn("Which system?", response.text)
        self.assertIn("o_portal_chatter", response.text)
        self.assertIn("Open", response.text)

    def test_site_contact_cannot_open_another_sites_request(self):
        self._login("north")
        self.assertEqual(self.url_open(f"/my/requests/{self.south_ticket.id}").status_code, 404)

    def test_another_customer_gets_404_on_every_request_route(self):
        self._login("parkway")
        ticket = self.north_ticket
        self.assertEqual(self.url_open(f"/my/requests/{ticket.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/requests/{ticket.id}?access_token=wrong").status_code, 404
        )
        self.assertEqual(self._post(f"/my/requests/{ticket.id}/close").status_code, 404)
        response = self._post(
            f"/my/requests/{ticket.id}/subscribers",
            {"operation": "add", "partner_id": self.parkway_user.partner_id.id},
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.parkway_user.partner_id, ticket.message_partner_ids)
        self.assertEqual(ticket.state, "open")
        self.assertEqual(self.url_open("/my/requests/999999").status_code, 404)
        listing = self.url_open("/my/requests?filterby=all").text
        self.assertNotIn(ticket.subject, listing)

    def test_access_token_opens_the_page_without_login(self):
        token = self.north_ticket._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f"/my/requests/{self.north_ticket.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.north_ticket.subject, response.text)
        self.assertNotIn("o_request_close", response.text)
        self.assertEqual(self.url_open(f"/my/requests/{self.north_ticket.id}").status_code, 404)

    def test_anonymous_posts_are_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open(f"/my/requests/{self.north_ticket.id}/close", data={"x": 1})
        self.assertNotEqual(response.status_code, 500)
        self.assertEqual(self.north_ticket.state, "open")

    def test_close_an_open_request(self):
        self._login("north")
        response = self._post(
            f"/my/requests/{self.north_ticket.id}/close", {"comment": "<b>all good</b>"}
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.north_ticket.state, "completed")
        last = self.north_ticket.message_ids.filtered(lambda m: "all good" in (m.body or ""))
        self.assertEqual(last.author_id, self.north_user.partner_id)
        self.assertIn("&lt;b&gt;all good&lt;/b&gt;", last.body)
        tracking = self.north_ticket.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(tracking.author_id, self.north_user.partner_id)
        again = self._post(f"/my/requests/{self.north_ticket.id}/close")
        self._assert_outcome(again, error="Only an open request can be closed.")

    def test_reopen_a_completed_request(self):
        ticket = self.completed_ticket
        self._login("parkway")
        self.assertEqual(self._post(f"/my/requests/{ticket.id}/reopen").status_code, 404)
        self._login("north")
        page = self.url_open(f"/my/requests/{ticket.id}").text
        self.assertIn("o_request_reopen", page)
        response = self._post(f"/my/requests/{ticket.id}/reopen", {"comment": "Blank again"})
        self._assert_outcome(response, key="request_reopened")
        self.assertEqual(ticket.state, "open")
        self.assertFalse(ticket.close_date)
        again = self._post(f"/my/requests/{ticket.id}/reopen")
        self._assert_outcome(again, error="This request can no longer be reopened")

    def test_rate_a_completed_request_once(self):
        ticket = self.completed_ticket
        ticket.user_id = self.env.ref("base.user_admin")
        self._login("parkway")
        self.assertEqual(
            self._post(f"/my/requests/{ticket.id}/rate", {"rate": "5"}).status_code, 404
        )
        self._login("north")
        self.assertIn("o_request_rate", self.url_open(f"/my/requests/{ticket.id}").text)
        for bad in ("0", "6", "five", "", "4.5"):
            with self.subTest(rate=bad):
                response = self._post(f"/my/requests/{ticket.id}/rate", {"rate": bad})
                self._assert_outcome(response, error="Please pick a rating from 1 to 5 stars.")
        self.assertFalse(ticket.rating_ids.filtered("consumed"))
        response = self._post(
            f"/my/requests/{ticket.id}/rate", {"rate": "4", "feedback": "<i>Quick fix</i>"}
        )
        self._assert_outcome(response, key="request_rated")
        # an Odoo rating, by the contact who rated, of the agent who handled the request
        rating = ticket.completion_rating_id
        self.assertEqual(rating.rating, 4)
        self.assertEqual(rating.feedback, "<i>Quick fix</i>")
        self.assertEqual(rating.partner_id, self.north_user.partner_id)
        self.assertEqual(rating.rated_partner_id, ticket.user_id.partner_id)
        self.assertTrue(rating.consumed)
        self.assertEqual(ticket.rating_ids.filtered("consumed"), rating)
        self.assertEqual(ticket.rating_last_value, 4)
        self.assertEqual(ticket.rating_avg_text, "top")
        # the rating is in the chatter for the agents, under its own subtype
        message = rating.message_id
        self.assertEqual(message.author_id, self.north_user.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("service_helpdesk.mt_ticket_rating"))
        page = self.url_open(f"/my/requests/{ticket.id}").text
        self.assertIn("&lt;i&gt;Quick fix&lt;/i&gt;", page)
        self.assertIn("★★★★☆", page)
        self.assertNotIn("o_request_rate_submit", page)
        again = self._post(f"/my/requests/{ticket.id}/rate", {"rate": "1"})
        self._assert_outcome(again, error="Only a completed request can be rated, once.")
        self.assertEqual(ticket.rating_ids.filtered("consumed").mapped("rating"), [4])
        # an open request cannot be rated
        response = self._post(f"/my/requests/{self.north_ticket.id}/rate", {"rate": "5"})
        self._assert_outcome(response, error="Only a completed request can be rated, once.")
        self.assertFalse(self.north_ticket.rating_ids)

    def test_response_target_is_shown_until_answered(self):
        self.north_ticket.response_deadline = "2030-01-01 09:00:00"
        self._login("north")
        page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        self.assertIn("We answer by", page)

    def test_home_counts_requests(self):
        self._login("north")
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["request_count"]})
        self.assertEqual(result["request_count"], 2)
        home = self.url_open("/my")
        self.assertIn("/my/requests/new", home.text)

    def _assert_follower_breaks_nothing(self, follower, body, hidden_text):
        """``follower`` follows the request and wrote ``body`` on it: the site contact's
        page, conversation and list still load, without showing ``hidden_text``."""
        self.north_ticket.message_subscribe(partner_ids=follower.ids)
        self.north_ticket.message_post(
            body=body,
            author_id=follower.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._login("north")
        response = self.url_open(f"/my/requests/{self.north_ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(hidden_text, response.text)
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "service.ticket", "thread_id": self.north_ticket.id},
        )
        posted = self.north_ticket.message_ids.filtered(lambda m: body in (m.body or ""))
        self.assertIn(posted.id, messages["messages"])
        self.assertEqual(self.url_open("/my/requests").status_code, 200)

    def test_follower_from_another_customer_does_not_break_the_page(self):
        # Staff may add anyone as a follower; the portal page must still render for the
        # customer and never show the outsider.
        self._assert_follower_breaks_nothing(
            self.parkway_user.partner_id, "A reply", "Paula Parker"
        )

    def test_follower_of_another_company_does_not_break_the_page(self):
        # A follower whose contact (and user) belong to another company of the database:
        # multi-company rules hide it from the customer, and the page must not fail on it.
        other_company = self.env["res.company"].create({"name": "Subsidiary Services Ltd"})
        outsider = self.env["res.users"].create(
            {
                "name": "Olga Outsider",
                "login": "olga.outsider@subsidiary.example",
                "email": "olga.outsider@subsidiary.example",
                "company_id": other_company.id,
                "company_ids": [(6, 0, other_company.ids)],
                "group_ids": [(4, self.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        outsider.partner_id.company_id = other_company
        self._assert_follower_breaks_nothing(
            outsider.partner_id, "Answer from the subsidiary", "olga.outsider@subsidiary.example"
        )


@tagged("post_install", "-at_install")
class TestPortalSubscribers(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _subscribe(self, ticket, partner, operation="add"):
        return self._post(
            f"/my/requests/{ticket.id}/subscribers",
            {"operation": operation, "partner_id": partner.id},
        )

    def test_candidates_are_colleagues_who_can_read_the_request(self):
        self.assertEqual(
            self.north_ticket._portal_subscriber_candidates(),
            (self.manager_user | self.north_user).partner_id,
        )
        # The north contact cannot read a south request: never offered as a subscriber.
        self.assertEqual(
            self.south_ticket._portal_subscriber_candidates(), self.manager_user.partner_id
        )

    def test_add_colleague_who_then_reads_the_request(self):
        self._login("north")
        page = self.url_open(f"/my/requests/{self.north_ticket.id}").text
        self.assertIn("Wanda Winslow", page)
        response = self._subscribe(self.north_ticket, self.manager_user.partner_id)
        self._assert_outcome(response, key="subscriber_added")
        self.assertIn(self.manager_user.partner_id, self.north_ticket.message_partner_ids)
        self.assertTrue(self.north_ticket.with_user(self.manager_user).has_access("read"))
        self._login("manager")
        self.assertEqual(self.url_open(f"/my/requests/{self.north_ticket.id}").status_code, 200)

    def test_remove_a_subscriber(self):
        self.north_ticket.message_subscribe(partner_ids=self.manager_user.partner_id.ids)
        self._login("north")
        response = self._subscribe(self.north_ticket, self.manager_user.partner_id, "remove")
        self._assert_outcome(response, key="subscriber_removed")
        self.assertNotIn(self.manager_user.partner_id, self.north_ticket.message_partner_ids)

    def test_cannot_subscribe_someone_of_another_customer(self):
        self._login("manager")
        for partner in (
            self.parkway_user.partner_id,
            self.parkway,
            self.env.ref("base.partner_admin"),
        ):
            with self.subTest(partner=partner.name):
                response = self._subscribe(self.south_ticket, partner)
                self._assert_outcome(
                    response,
                    error="Only colleagues with portal access to this request can be subscribed.",
                )
                self.assertNotIn(partner, self.south_ticket.message_partner_ids)

    def test_cannot_subscribe_a_colleague_who_cannot_read_it(self):
        self._login("manager")
        response = self._subscribe(self.south_ticket, self.north_user.partner_id)
        self._assert_outcome(
            response, error="Only colleagues with portal access to this request can be subscribed."
        )
        self.assertNotIn(self.north_user.partner_id, self.south_ticket.message_partner_ids)

    def test_bad_subscriber_parameters(self):
        self._login("north")
        for data in (
            {"operation": "add", "partner_id": "abc"},
            {"operation": "add", "partner_id": "999999"},
            {"operation": "explode", "partner_id": self.manager_user.partner_id.id},
            {},
        ):
            with self.subTest(data=data):
                response = self._post(f"/my/requests/{self.north_ticket.id}/subscribers", data)
                self.assertEqual(response.status_code, 303)
                self._assert_outcome(
                    response,
                    error="Only colleagues with portal access to this request can be subscribed.",
                )


@tagged("post_install", "-at_install")
class TestPortalNewRequest(HelpdeskCommon, PortalHttpMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()

    def _tickets(self):
        return self.env["service.ticket"].search([("subject", "=", "Boiler leaking")])

    def test_type_choice_page_and_type_form(self):
        self._login("manager")
        choice = self.url_open("/my/requests/new")
        self.assertEqual(choice.status_code, 200)
        self.assertIn("What is the nature of your request?", choice.text)
        self.assertIn(self.type_breakdown.name, choice.text)
        form = self.url_open(f"/my/requests/new?type_id={self.type_breakdown.id}")
        self.assertIn(self.q_area.name, form.text)
        self.assertIn("North Campus", form.text)
        self.assertIn("South Campus", form.text)
        self.assertNotIn("Downtown Theatre", form.text)

    def test_site_contact_only_gets_its_own_site(self):
        self._login("north")
        form = self.url_open(f"/my/requests/new?type_id={self.type_breakdown.id}")
        self.assertIn("North Campus", form.text)
        self.assertNotIn("South Campus", form.text)

    def test_unknown_type_gets_a_message(self):
        self._login("manager")
        for value in ("999999", "abc", "-1"):
            with self.subTest(value=value):
                response = self.url_open(f"/my/requests/new?type_id={value}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("does not exist", response.text)
        response = self._post("/my/requests/new", {"type_id": "999999", "subject": "x"})
        self._assert_outcome(response, error="does not exist")

    def test_submit_creates_the_request_with_answers_and_files(self):
        self._login("manager")
        response = self._post(
            "/my/requests/new",
            self._breakdown_form(),
            files=[("attachments", ("photo.png", PNG_BYTES, "image/png"))],
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(f"/my/requests/{ticket.id}", response.headers["Location"])
        self.assertEqual(ticket.partner_id, self.winslow)
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertEqual(ticket.requester_id, self.manager_user.partner_id)
        self.assertEqual(ticket.type_id, self.type_breakdown)
        self.assertEqual(ticket.team_id, self.type_breakdown.team_id)
        self.assertEqual(ticket.answer_ids.mapped("value"), ["2026-11-20", "No", "Heating", "2"])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "service.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(attachment.name, "photo.png")
        self.assertEqual(attachment.raw, PNG_BYTES)
        # the file shows in the conversation, for the customer too
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, attachment)
        self.assertEqual(message.author_id, self.manager_user.partner_id)
        self.assertIn(self.manager_user.partner_id, ticket.message_partner_ids)
        page = self._assert_outcome(response, key="request_created")
        self.assertIn("Your request was sent", page.text)

    def test_site_contact_request_always_belongs_to_its_site(self):
        self._login("north")
        data = self._breakdown_form(type_id=self.type_question.id)
        data.pop("site_id")
        response = self._post("/my/requests/new", data)
        self.assertEqual(response.status_code, 303, response.text[:500])
        ticket = self._tickets()
        self.assertEqual(ticket.site_id, self.site_north)
        self.assertTrue(ticket.with_user(self.north_user).has_access("read"))

    def _assert_refused(self, data, message, files=None):
        response = self._post("/my/requests/new", data, files=files)
        self.assertIn("/my/requests/new", response.headers.get("Location", ""))
        response = self._assert_outcome(response, error=message)
        self.assertFalse(self._tickets())
        self.assertFalse(
            self.env["ir.attachment"].search([("name", "in", ("big.pdf", "evil.html"))])
        )
        return response

    def test_foreign_site_is_refused(self):
        self._login("north")
        for site in (self.site_south, self.site_parkway, self.parkway):
            with self.subTest(site=site.name):
                self._assert_refused(
                    self._breakdown_form(site_id=site.id), "Please pick one of your job sites"
                )
        self._assert_refused(self._breakdown_form(site_id="abc"), "Please pick one")

    def test_required_site_missing(self):
        self._login("manager")
        self._assert_refused(self._breakdown_form(site_id=""), "Please pick the job site")

    def test_missing_required_answers(self):
        self._login("manager")
        data = self._breakdown_form()
        del data[f"question_{self.q_since.id}"]
        response = self._assert_refused(data, "Please answer: Since when?")
        # what was typed is kept
        self.assertIn("Water under the boiler", response.text)

    def test_bad_answers(self):
        self._login("manager")
        cases = [
            (f"question_{self.q_since.id}", "31/31/2026", "Please enter a date"),
            (f"question_{self.q_safety.id}", "maybe", "Please answer yes or no"),
            (f"question_{self.q_area.id}", "Plumbing", "Please pick one of the proposed"),
            (f"question_{self.q_count.id}", "many", "Please enter a number"),
            (f"question_{self.q_count.id}", "nan", "Please enter a number"),
            ("subject", "", "Please give your request a subject"),
            ("subject", "x" * 201, "The subject is too long"),
            ("description", "  ", "Please describe your request"),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self._assert_refused(self._breakdown_form(**{field: value}), message)

    def test_oversize_and_forbidden_files(self):
        self._login("manager")
        big = b"%PDF-1.4\n" + (b"0" * 1023 + b"\n") * (10 * 1024)
        self._assert_refused(
            self._breakdown_form(),
            "big.pdf is too large",
            files=[("attachments", ("big.pdf", big, "application/pdf"))],
        )
        self._assert_refused(
            self._breakdown_form(),
            "evil.html is not an accepted file",
            files=[("attachments", ("evil.html", b"<script>alert(1)</script>", "text/html"))],
        )
        # an HTML page renamed to .pdf is sniffed and refused
        self._assert_refused(
            self._breakdown_form(),
            "fake.pdf is not an accepted file",
            files=[("attachments", ("fake.pdf", b"<html><script>x</script></html>", "a/b"))],
        )
        self._assert_refused(
            self._breakdown_form(),
            "Attach at most 5 files",
            files=[("attachments", (f"p{i}.png", PNG_BYTES, "image/png")) for i in range(6)],
        )

    def test_script_in_text_is_stored_and_shown_as_text(self):
        self._login("manager")
        payload = '<script>alert("x")</script>'
        data = self._breakdown_form(description=payload, subject="Boiler leaking")
        data[f"question_{self.q_count.id}"] = ""
        response = self._post("/my/requests/new", data)
        self.assertEqual(response.status_code, 303)
        ticket = self._tickets()
        self.assertNotIn("<script>", ticket.description)
        page = self.url_open(f"/my/requests/{ticket.id}").text
        self.assertNotIn(payload, page)
        self.assertIn("&lt;script&gt;", page)

    def test_script_in_refused_form_is_escaped(self):
        self._login("manager")
        payload = '"><script>alert(1)</script>'
        response = self._assert_refused(
            self._breakdown_form(subject=payload, description=""), "Please describe"
        )
        self.assertNotIn("<script>alert(1)</script>", response.text)

    def test_files_sent_under_text_field_names(self):
        self._login("manager")
        data = self._breakdown_form()
        del data["subject"]
        self._assert_refused(
            data,
            "Please give your request a subject",
            files=[("subject", ("s.txt", b"hello", "text/plain"))],
        )
        response = self._post(
            f"/my/requests/{self.north_ticket.id}/close",
            files=[("comment", ("c.txt", b"hello", "text/plain"))],
        )
        self.assertEqual(response.status_code, 303)

    def test_get_only_and_csrf(self):
        self._login("manager")
        response = self.url_open(
            "/my/requests/new", data=self._breakdown_form(), allow_redirects=False
        )
        self.assertNotEqual(response.status_code, 303)
        self.assertFalse(self._tickets())
