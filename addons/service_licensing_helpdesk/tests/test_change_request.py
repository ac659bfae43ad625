from odoo.addons.service_licensing.tests.common import ChangeRequestSetupMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChangeRequestTicket(ChangeRequestSetupMixin, HttpCase):
    """With the help desk, "Request cancellation or fewer licences" on Your Purchases files a
    support request the customer follows in the portal (service_licensing alone notifies
    the licensing managers: see its test_change_request.py)."""

    def _tickets(self):
        return self.env["service.ticket"].search([("partner_id", "=", self.customer.id)])

    def test_admin_asks_for_fewer_licences_through_a_support_request(self):
        self._login(self.owner)
        response = self._post(
            self._url(), {"kind": "reduce", "quantity": "3", "comment": "Two technicians left."}
        )
        self.assertEqual(response.status_code, 303)
        ticket = self._tickets()
        self.assertEqual(len(ticket), 1)
        self.assertIn(
            f"/my/purchases?done=change_request&request_id={ticket.id}",
            response.headers["Location"],
        )
        self.assertEqual(ticket.requester_id, self.owner.partner_id)
        self.assertIn("Reduce", ticket.subject)
        self.assertIn("from 5 to 3 licences", ticket.description)
        self.assertIn("Two technicians left.", ticket.description)
        self.assertEqual(ticket.state, "open")
        # Nothing changed by itself; staff see the request on the subscription too.
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        self.assertIn(ticket.name, self.subscription.message_ids[0].body)
        # The customer sees its reference, with a link to the request.
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_service_change_ticket", page.text)
        self.assertIn(f'href="/my/requests/{ticket.id}"', page.text)
        self.assertIn(ticket.name, page.text)
        self.assertEqual(self.url_open(f"/my/requests/{ticket.id}").status_code, 200)

    def test_admin_asks_to_cancel_through_a_support_request(self):
        self._login(self.secondary)
        response = self._post(self._url(), {"kind": "cancel", "quantity": "garbage ignored"})
        self.assertEqual(response.status_code, 303)
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
        page = self.url_open(f"/my/purchases?done=change_request&request_id={ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(ticket.name, page.text)
        self.assertNotIn("o_service_change_ticket", page.text)

    def test_a_refused_request_files_no_support_request(self):
        for args in (("reduce", "9"), ("reduce", "x"), ("pause", None)):
            with self.subTest(args=args), self.assertRaises(UserError):
                self.subscription.with_user(self.owner)._request_change(*args)
        with self.assertRaises(AccessError):
            self.subscription.with_user(self.other_owner)._request_change("cancel")
        self._login(self.contact)
        self.assertEqual(self._post(self._url(), {"kind": "cancel"}).status_code, 404)
        self._login(self.owner)
        response = self._post(self._url(), {"kind": "reduce", "quantity": "abc"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._tickets())
