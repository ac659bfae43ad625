import re

from odoo.tests import HttpCase, tagged

from .common import HelpdeskCommon, PortalHttpMixin


@tagged("post_install", "-at_install")
class TestTicketRating(HelpdeskCommon, PortalHttpMixin, HttpCase):
    """Completion emails the customer (status change and rating request, with Odoo's
    rating.mixin); the rating lands on the request whichever way it is given."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_helpdesk()
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Agent Rated",
                "login": "agent.rated@example.com",
                "email": "agent.rated@example.com",
                "group_ids": [(4, cls.env.ref("service_helpdesk.group_helpdesk_agent").id)],
            }
        )
        cls.requester = cls.north_user.partner_id
        cls.ticket = cls.env["service.ticket"].create(
            {
                "subject": "Radiator cold",
                "partner_id": cls.winslow.id,
                "site_id": cls.site_north.id,
                "requester_id": cls.requester.id,
                "user_id": cls.agent.id,
            }
        )
        cls.ticket.with_user(cls.north_user)._portal_add_subscriber(cls.manager_user.partner_id)
        # as if created in an earlier transaction: changes made by the tests are tracked
        cls.env.flush_all()
        cls.env.cr.precommit.run()

    def _complete(self):
        self.ticket.with_user(self.agent).action_complete()
        self._flush_tracking()

    def _flush_tracking(self):
        # tracking messages are posted when the transaction commits
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _mails_to(self, partner, ticket=None):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "service.ticket"),
                    ("res_id", "=", (ticket or self.ticket).id),
                    ("recipient_ids", "in", partner.ids),
                ]
            )
        )

    def _rating_requests_to(self, partner):
        return self._mails_to(partner).filtered(lambda mail: "/rate/" in mail.body_html)

    def test_completion_asks_the_requester_for_a_rating(self):
        self._complete()
        request_mail = self._rating_requests_to(self.requester)
        self.assertEqual(len(request_mail), 1)
        self.assertFalse(self._rating_requests_to(self.manager_user.partner_id))
        token = re.search(r"/rate/([\w-]+)/5", request_mail.body_html).group(1)
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual(rating.res_id, self.ticket.id)
        self.assertEqual(rating.partner_id, self.requester)
        self.assertEqual(rating.rated_partner_id, self.agent.partner_id)
        self.assertFalse(rating.consumed)
        self.assertIn(self.ticket.get_portal_url(), request_mail.body_html)

    def test_dragging_to_the_completed_stage_asks_too(self):
        self.ticket.with_user(self.agent).stage_id = self.env.ref(
            "service_helpdesk.stage_completed"
        )
        self.assertEqual(self.ticket.state, "completed")
        self.assertEqual(len(self._rating_requests_to(self.requester)), 1)
        # and a stage of the same status that asks nothing sends nothing more
        done_elsewhere = self.env["service.ticket.stage"].create(
            {"name": "Closed by phone", "state": "completed", "sequence": 35}
        )
        self.ticket.with_user(self.agent).stage_id = done_elsewhere
        self.assertEqual(len(self._rating_requests_to(self.requester)), 1)

    def test_status_change_is_emailed_to_the_customer_and_subscribers(self):
        self._complete()
        tracking = self.ticket.message_ids.filtered("tracking_value_ids")[:1]
        self.assertEqual(tracking.subtype_id, self.env.ref("service_helpdesk.mt_ticket_status"))
        notified = tracking.notification_ids.res_partner_id
        self.assertIn(self.requester, notified)
        self.assertIn(self.manager_user.partner_id, notified)
        self.assertNotIn(self.agent.partner_id, notified)

    def test_moves_between_open_stages_stay_internal(self):
        self.ticket.with_user(self.agent).stage_id = self.env.ref(
            "service_helpdesk.stage_waiting_customer"
        )
        self._flush_tracking()
        tracking = self.ticket.message_ids.filtered("tracking_value_ids")[:1]
        self.assertTrue(tracking.subtype_id.internal)
        self.assertFalse(tracking.notification_ids)

    def test_preference_off_means_no_rating_request(self):
        self.requester.service_notify_request_updates = False
        self._complete()
        self.assertFalse(self._mails_to(self.requester))
        # the manager still hears of the status change
        self.assertTrue(self._mails_to(self.manager_user.partner_id))

    def test_stage_without_rating_email_asks_nothing(self):
        self.env.ref("service_helpdesk.stage_completed").rating_template_id = False
        self._complete()
        self.assertFalse(self._rating_requests_to(self.requester))
        self.assertFalse(self.ticket.rating_ids)

    def test_customer_who_closes_rates_on_the_page_not_by_email(self):
        self._login("north")
        self._post(f"/my/requests/{self.ticket.id}/close")
        self.assertEqual(self.ticket.state, "completed")
        self.assertFalse(self._rating_requests_to(self.requester))
        page = self.url_open(f"/my/requests/{self.ticket.id}").text
        self.assertIn("o_request_rate_submit", page)

    def test_rating_from_the_email_link_lands_on_the_request(self):
        self._complete()
        token = re.search(
            r"/rate/([\w-]+)/1", self._rating_requests_to(self.requester).body_html
        ).group(1)
        # Odoo's own rating pages: the link opens a form, which posts the rating
        self._login("north")
        page = self.url_open(f"/rate/{token}/1")
        self.assertEqual(page.status_code, 200)
        self.assertIn("submit_feedback", page.text)
        response = self._post(
            f"/rate/{token}/submit_feedback", {"rate": "1", "feedback": "Still cold at 9"}
        )
        self.assertEqual(response.status_code, 200)
        rating = self.ticket.completion_rating_id
        self.assertEqual(rating.access_token, token)
        self.assertEqual(rating.rating, 1)
        self.assertEqual(self.ticket.rating_avg_text, "ko")
        page = self.url_open(f"/my/requests/{self.ticket.id}").text
        self.assertIn("★☆☆☆☆", page)
        self.assertIn("Still cold at 9", page)
        self.assertNotIn("o_request_rate_submit", page)
        # the unhappy rating shows among the agents' "Unhappy Customers"
        self.assertIn(
            self.ticket,
            self.env["service.ticket"]
            .with_user(self.agent)
            .search([("rating_last_value", ">=", 1), ("rating_last_value", "<", 3)]),
        )
        # the agent is told, in the chatter and by email
        message = rating.message_id
        self.assertEqual(message.subtype_id, self.env.ref("service_helpdesk.mt_ticket_rating"))
        self.assertIn(self.agent.partner_id, message.notification_ids.res_partner_id)
        self.assertNotIn(self.manager_user.partner_id, message.notification_ids.res_partner_id)

    def test_portal_rating_uses_the_emailed_token(self):
        self._complete()
        self._login("north")
        self._post(f"/my/requests/{self.ticket.id}/rate", {"rate": "5"})
        # one rating for the requester: the one the email asked for, now given
        self.assertEqual(len(self.ticket.rating_ids), 1)
        self.assertTrue(self.ticket.rating_ids.consumed)
        self.assertEqual(self.ticket.completion_rating_id, self.ticket.rating_ids)

    def test_reopened_request_can_be_rated_again_on_its_next_completion(self):
        self._complete()
        self._login("north")
        self._post(f"/my/requests/{self.ticket.id}/rate", {"rate": "2"})
        first = self.ticket.completion_rating_id
        self.assertTrue(first)
        self._post(f"/my/requests/{self.ticket.id}/reopen", {"comment": "Cold again"})
        self.assertFalse(self.ticket.completion_rating_id)
        self._complete()
        # a new request, with a new link: the first one was used
        first_mail, second_mail = self._rating_requests_to(self.requester).sorted("id")
        self.assertIn(f"/rate/{first.access_token}/5", first_mail.body_html)
        self.assertNotIn(f"/rate/{first.access_token}/5", second_mail.body_html)
        response = self._post(f"/my/requests/{self.ticket.id}/rate", {"rate": "5"})
        self._assert_outcome(response, key="request_rated")
        second = self.ticket.completion_rating_id
        self.assertNotEqual(second, first)
        # both ratings are kept: the history of the request
        self.assertEqual(
            sorted(self.ticket.rating_ids.filtered("consumed").mapped("rating")), [2, 5]
        )
        self.assertEqual(self.ticket.rating_avg, 3.5)

    def test_a_colleague_of_the_customer_rates_under_their_own_name(self):
        self._complete()
        self._login("manager")
        self._post(f"/my/requests/{self.ticket.id}/rate", {"rate": "4"})
        self.assertEqual(self.ticket.completion_rating_id.partner_id, self.manager_user.partner_id)

    def test_another_customer_cannot_use_the_rating_link(self):
        self._complete()
        token = re.search(
            r"/rate/([\w-]+)/5", self._rating_requests_to(self.requester).body_html
        ).group(1)
        self._login("parkway")
        page = self.url_open(f"/rate/{token}/5")
        self.assertNotIn("submit_feedback", page.text)
        self.assertFalse(self.ticket.completion_rating_id)
        self.assertEqual(self.url_open("/rate/not-a-token/5").status_code, 404)
