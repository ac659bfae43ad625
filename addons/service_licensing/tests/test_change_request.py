from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import ChangeRequestSetupMixin, PortalOutcomeMixin


@tagged("post_install", "-at_install")
class TestChangeRequest(PortalOutcomeMixin, ChangeRequestSetupMixin, HttpCase):
    """ "Request cancellation or fewer licences" on Your Purchases: a request to the service
    company (here a note to the licensing managers; a support request with
    service_licensing_helpdesk, tested there), never a change of the subscription by itself."""

    @contextmanager
    def _licensing_alone(self):
        """Requests go where service_licensing alone sends them (the licensing managers),
        even where another addon (service_licensing_helpdesk) sends them elsewhere: the
        registry's class gets this addon's own ``_send_change_request`` for the block."""
        model_class = type(self.env["service.subscription"])
        own = next(
            vars(cls)["_send_change_request"]
            for cls in model_class.__mro__
            if getattr(cls, "_module", None) == "service_licensing"
            and "_send_change_request" in vars(cls)
        )
        with patch.object(model_class, "_send_change_request", own):
            yield

    def _state(self):
        """What must not move when a request is refused."""
        self.subscription.invalidate_recordset()
        return (
            self.subscription.quantity,
            self.subscription.state,
            self.subscription.quantity_allocated,
            len(self.subscription.message_ids),
        )

    def test_purchases_show_the_request_form_to_admins(self):
        self._login(self.secondary)
        page = self.url_open("/my/purchases")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Request cancellation or fewer licences", page.text)
        self.assertIn(f'action="{self._url()}"', page.text)

    def test_request_fewer_licences_in_the_browser(self):
        with self._licensing_alone():
            self.start_tour(
                "/my/purchases", "service_licensing_change_request", login=self.owner.login
            )
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        message = self.subscription.message_ids[0]
        self.assertIn("from 5 to 3 licences", message.body)
        self.assertIn("Two technicians left in May.", message.body)

    # ------------------------------------------------------------------
    # The licensing managers are notified
    # ------------------------------------------------------------------

    def test_the_licensing_managers_are_notified(self):
        with self._licensing_alone():
            result = self.subscription.with_user(self.owner)._request_change(
                "reduce", "2", "Season is over"
            )
        self.assertIsNone(result)
        message = self.subscription.message_ids[0]
        self.assertIn("from 5 to 2 licences", message.body)
        self.assertIn("Season is over", message.body)
        self.assertEqual(message.author_id, self.owner.partner_id)
        self.assertIn(self.env.ref("base.user_admin").partner_id, message.partner_ids)
        self.assertEqual((self.subscription.quantity, self.subscription.state), (5, "active"))
        # What the portal tells the admin in that case.
        self.assertIn(
            "sent to our licensing team",
            self.subscription.with_user(self.owner)._change_request_confirmation(result),
        )

    def test_the_portal_confirms_a_request_sent_to_the_licensing_managers(self):
        self._login(self.secondary)
        with self._licensing_alone():
            self.assert_done(
                self._url(), {"kind": "cancel"}, "/my/purchases", "sent to our licensing team"
            )
        self.assertIn("Cancel my subscription", self.subscription.message_ids[0].subject)
        self.assertEqual(self.subscription.message_ids[0].author_id, self.secondary.partner_id)
        self.assertEqual(self.subscription.state, "active")

    def test_bad_input_is_refused_before_anyone_is_notified(self):
        before = self._state()
        with self._licensing_alone():
            for args in (("reduce", "9"), ("reduce", "x"), ("pause", None)):
                with self.subTest(args=args), self.assertRaises(UserError):
                    self.subscription.with_user(self.owner)._request_change(*args)
            with self.assertRaises(AccessError):
                self.subscription.with_user(self.other_owner)._request_change("cancel")
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
                shown = self.assert_refused(self._url(), data, "/my/purchases", message)
                self.assertNotIn("<script>alert", shown.text)
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
        subscriptions = self.subscription + single + ended
        requests = [("model", "=", "service.subscription"), ("res_id", "in", subscriptions.ids)]
        requests.append(("message_type", "=", "comment"))
        before = self.env["mail.message"].search_count(requests)
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
        self.assertEqual(self.env["mail.message"].search_count(requests), before, "no request")
