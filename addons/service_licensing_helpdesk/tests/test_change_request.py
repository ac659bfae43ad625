from odoo.addons.service_licensing.tests.common import (
    ChangeRequestSetupMixin,
    PortalOutcomeMixin,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChangeRequestTicket(PortalOutcomeMixin, ChangeRequestSetupMixin, HttpCase):
    """With the help desk, "Request cancellation or fewer licences" on Your Purchases files a
    support request the customer follows in the portal (service_licensing alone notifies
    the licensing managers: see its test_change_request.py)."""

    def _tickets(self):
        return self.env["service.ticket"].search([("partner_id", "=", self.customer.id)])

    def test_admin_asks_for_fewer_licences_through_a_support_request(self):
        self._login(self.owner)
        page = self.assert_done(
            self._url(),
            {"kind": "reduce", "quantity": "3", "comment": "Two technicians left."},
            "/my/purchases",
            "Your request is sent to our support team",
        )
        ticket = self._tickets()
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
        self._login(self.secondary)
        self.assert_done(
            self._url(),
            {"kind": "cancel", "quantity": "garbage ignored"},
            "/my/purchases",
            "Your request is sent",
        )
        ticket = self._tickets()
        self.assertIn("Cancel my subscription", ticket.subject)
        self.assertEqual(ticket.requester_id, self.secondary.partner_id)
        self.assertEqual(self.subscription.state, "active")

    def test_request_fewer_licences_in_the_browser(self):
        self.start_tour("/my/purchases", "service_licensing_change_request", login=self.owner.login)
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        ticket = self._tickets()
        self.assertIn("from 5 to 3 licences", ticket.description)
        self.assertIn("Two technicians left in May.", ticket.description)

    def test_another_customers_admin_does_not_see_the_reference(self):
        ticket = self.subscription.with_user(self.owner)._request_change("cancel")
        self._login(self.other_owner)
        # no query names a request on the page: the outcome is the session's, told once
        for url in ("/my/purchases", f"/my/purchases?request_id={ticket.id}"):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200)
            self.assertNotIn(ticket.name, page.text)

    def test_a_refused_request_files_no_support_request(self):
        for args in (("reduce", "9"), ("reduce", "x"), ("pause", None)):
            with self.subTest(args=args), self.assertRaises(UserError):
                self.subscription.with_user(self.owner)._request_change(*args)
        with self.assertRaises(AccessError):
            self.subscription.with_user(self.other_owner)._request_change("cancel")
        self._login(self.contact)
        self.assertEqual(self._post(self._url(), {"kind": "cancel"}).status_code, 404)
        self._login(self.owner)
        self.assert_refused(
            self._url(), {"kind": "reduce", "quantity": "abc"}, "/my/purchases", "from 2 to 4"
        )
        self.assertFalse(self._tickets())
