from unittest.mock import patch

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import LicensingSetupMixin, PortalOutcomeMixin


@tagged("post_install", "-at_install")
class TestChangeRequest(PortalOutcomeMixin, LicensingSetupMixin, HttpCase):
    """ "Request cancellation or fewer licences" on Your Purchases: a request to the service
    company (a support request with service_helpdesk, else a note to the licensing managers),
    never a change of the subscription by itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_licensing(cls.env)
        cls.subscription.quantity = 5
        for index in range(2):
            cls.subscription._allocate_license(
                {"name": f"Tech {index}", "email": f"tech{index}@acme.example"}
            )

    def setUp(self):
        super().setUp()
        self.has_helpdesk = "service.ticket" in self.env.registry

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _url(self, subscription=None):
        return f"/my/purchases/{(subscription or self.subscription).id}/change"

    def _tickets(self):
        if not self.has_helpdesk:
            return 0
        return self.env["service.ticket"].search_count([("partner_id", "=", self.customer.id)])

    def _state(self):
        """What must not move when a request is refused."""
        self.subscription.invalidate_recordset()
        return (
            self.subscription.quantity,
            self.subscription.state,
            self.subscription.quantity_allocated,
            len(self.subscription.message_ids),
            self._tickets(),
        )

    # ------------------------------------------------------------------
    # With the help desk: a support request
    # ------------------------------------------------------------------

    def test_purchases_show_the_request_form_to_admins(self):
        self._login(self.secondary)
        page = self.url_open("/my/purchases")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Request cancellation or fewer licences", page.text)
        self.assertIn(f'action="{self._url()}"', page.text)

    def test_admin_asks_for_fewer_licences_through_a_support_request(self):
        if not self.has_helpdesk:
            self.skipTest("service_helpdesk is not installed")
        self._login(self.owner)
        page = self.assert_done(
            self._url(),
            {"kind": "reduce", "quantity": "3", "comment": "Two technicians left."},
            "/my/purchases",
            "Your request is sent to our support team",
        )
        ticket = self.env["service.ticket"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.requester_id, self.owner.partner_id)
        self.assertIn("Reduce", ticket.subject)
        self.assertIn("from 5 to 3 licences", ticket.description)
        self.assertIn("Two technicians left.", ticket.description)
        self.assertEqual(ticket.state, "open")
        # Nothing changed by itself; staff see the request on the subscription too.
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        self.assertIn(ticket.name, self.subscription.message_ids[0].body)
        # The customer sees its reference, once, and follows the request in Your Requests.
        self.assertIn(ticket.name, page.text)
        self.assertNotIn(ticket.name, self.url_open("/my/purchases").text)
        self.assertIn(ticket.name, self.url_open("/my/requests").text)
        self.assertEqual(self.url_open(f"/my/requests/{ticket.id}").status_code, 200)

    def test_admin_asks_to_cancel_through_a_support_request(self):
        if not self.has_helpdesk:
            self.skipTest("service_helpdesk is not installed")
        self._login(self.secondary)
        self.assert_done(
            self._url(),
            {"kind": "cancel", "quantity": "garbage ignored"},
            "/my/purchases",
            "Your request is sent",
        )
        ticket = self.env["service.ticket"].search([("partner_id", "=", self.customer.id)])
        self.assertIn("Cancel my subscription", ticket.subject)
        self.assertEqual(ticket.requester_id, self.secondary.partner_id)
        self.assertEqual(self.subscription.state, "active")

    def test_request_fewer_licences_in_the_browser(self):
        self.start_tour("/my/purchases", "service_licensing_change_request", login=self.owner.login)
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        if self.has_helpdesk:
            ticket = self.env["service.ticket"].search([("partner_id", "=", self.customer.id)])
            self.assertIn("from 5 to 3 licences", ticket.description)
            self.assertIn("Two technicians left in May.", ticket.description)
        else:
            self.assertIn("from 5 to 3 licences", self.subscription.message_ids[0].body)

    def test_another_customers_admin_does_not_see_the_reference(self):
        if not self.has_helpdesk:
            self.skipTest("service_helpdesk is not installed")
        ticket = self.subscription.with_user(self.owner)._request_change("cancel")
        self._login(self.other_owner)
        # no query names a request on the page: the outcome is the session's, told once
        for url in ("/my/purchases", f"/my/purchases?request_id={ticket.id}"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotIn(ticket.name, page.text)

    # ------------------------------------------------------------------
    # Without the help desk: the licensing managers are notified
    # ------------------------------------------------------------------

    def test_without_help_desk_the_licensing_managers_are_notified(self):
        tickets = self._tickets()
        result = self.subscription.with_user(self.owner)._request_change(
            "reduce", "2", "Season is over", use_helpdesk=False
        )
        self.assertIsNone(result)
        self.assertEqual(self._tickets(), tickets, "no support request")
        message = self.subscription.message_ids[0]
        self.assertIn("from 5 to 2 licences", message.body)
        self.assertIn("Season is over", message.body)
        self.assertEqual(message.author_id, self.owner.partner_id)
        self.assertIn(self.env.ref("base.user_admin").partner_id, message.partner_ids)
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        # The confirmation the portal shows in that case, once.
        self._login(self.owner)
        Subscription = self.registry["service.subscription"]
        request_change = Subscription._request_change

        def without_help_desk(record, kind, quantity=None, comment=None, **_kw):
            return request_change(record, kind, quantity, comment, use_helpdesk=False)

        with patch.object(Subscription, "_request_change", without_help_desk):
            self.assert_done(
                self._url(),
                {"kind": "reduce", "quantity": "3"},
                "/my/purchases",
                "sent to our licensing team",
            )
        self.assertEqual(self._tickets(), tickets, "no support request")

    def test_without_help_desk_bad_input_is_refused(self):
        before = self._state()
        for args in (("reduce", "9"), ("reduce", "x"), ("pause", None)):
            with self.subTest(args=args), self.assertRaises(UserError):
                self.subscription.with_user(self.owner)._request_change(*args, use_helpdesk=False)
        with self.assertRaises(AccessError):
            self.subscription.with_user(self.other_owner)._request_change(
                "cancel", use_helpdesk=False
            )
        self.assertEqual(self._state(), before)

    # ------------------------------------------------------------------
    # Access and bad input
    # ------------------------------------------------------------------

    def test_non_admins_and_other_customers_admins_get_not_found(self):
        before = self._state()
        for user in (self.contact, self.other_owner):
            self._login(user)
            with self.subTest(user=user.login):
                response = self._post(self._url(), {"kind": "cancel"})
                self.assertEqual(response.status_code, 404)
        self._login(self.owner)
        response = self._post("/my/purchases/999999999/change", {"kind": "cancel"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(), before)

    def test_bad_input_gets_a_clear_message_and_creates_nothing(self):
        self._login(self.owner)
        cases = [
            ({"kind": "pause"}, "Choose whether to cancel"),
            ({}, "Choose whether to cancel"),
            ({"kind": "reduce"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "abc"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "2.5"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "1"}, "2 are allocated"),
            ({"kind": "reduce", "quantity": "0"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "5"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "-3"}, "from 2 to 4"),
            ({"kind": "reduce", "quantity": "99999999999999999999"}, "from 2 to 4"),
            (
                {"kind": "cancel", "comment": "<script>alert('x')</script>"},
                "must be plain text",
            ),
            (
                {"kind": "reduce", "quantity": "3", "comment": "<img src=x onerror=alert(1)>"},
                "plain",
            ),
            ({"kind": "cancel", "comment": "x" * 2001}, "too long"),
        ]
        before = self._state()
        for data, message in cases:
            with self.subTest(data=data):
                page = self.assert_refused(self._url(), data, "/my/purchases", message)
                self.assertNotIn("<script>alert", page.text)
        self.assertEqual(self._state(), before)

    def test_nothing_to_reduce_or_an_ended_subscription_is_refused(self):
        self._login(self.owner)
        single = self.env["service.subscription"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.addon.id,
                "quantity": 1,
                "state": "active",
            }
        )
        ended = self.env["service.subscription"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.plan_annual.id,
                "quantity": 4,
                "state": "canceled",
            }
        )
        tickets = self._tickets()
        self.assert_refused(
            self._url(single),
            {"kind": "reduce", "quantity": "0"},
            "/my/purchases",
            "single licence",
        )
        self.assert_refused(self._url(ended), {"kind": "cancel"}, "/my/purchases", "has ended")
        self.subscription.quantity = 2  # both licences are allocated
        self.assert_refused(
            self._url(),
            {"kind": "reduce", "quantity": "1"},
            "/my/purchases",
            "remove technicians first",
        )
        self.assertEqual(self._tickets(), tickets)
