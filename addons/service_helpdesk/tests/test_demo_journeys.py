from odoo import fields
from odoo.addons.service_portal.tests.common import DEMO_TAG
from odoo.tests import HttpCase, tagged

from .common import HelpdeskDemoMixin, PortalHttpMixin


@tagged("post_install", "-at_install", DEMO_TAG)
class TestDemoJourneys(HelpdeskDemoMixin, PortalHttpMixin, HttpCase):
    """A newcomer who logs in as a demo customer meets every journey: a quote to sign, an
    invoice to pay and one paid, a visit today, a completed visit to sign off, and an open
    request whose estimate awaits approval; the dashboard of /my leads to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_demo()

    def _journeys(self, customer, user):
        """The demo records of each journey, found as the customer's user finds them."""
        env = self.env(user=user)
        quotes = env["sale.order"].search(
            [("state", "=", "sent"), ("partner_id", "child_of", customer.id)]
        )
        invoices = env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("partner_id", "child_of", customer.id),
            ]
        )
        orders = env["service.order"].search([("partner_id", "=", customer.id)])
        tickets = env["service.ticket"].search(
            [("partner_id", "=", customer.id), ("state", "=", "open")]
        )
        return {
            "quote": quotes.filtered(lambda q: q._has_to_be_signed() and not q.service_ticket_id),
            "unpaid": invoices.filtered(lambda m: m.payment_state in ("not_paid", "partial")),
            "paid": invoices.filtered(
                lambda m: m.payment_state in ("paid", "in_payment") and m.sudo().matched_payment_ids
            ),
            # "today" is the day the demo was installed
            "today": orders.filtered(
                lambda o: o.state == "scheduled" and o.date_start.date() == o.create_date.date()
            ),
            "sign_off": orders.filtered(lambda o: o._has_to_be_signed()),
            "estimate": tickets.sudo().estimate_ids.filtered(
                lambda e: e.state == "sent" and e._has_to_be_signed()
            ),
        }

    def test_each_demo_customer_meets_every_journey(self):
        now = fields.Datetime.now()
        for customer, who, user in (
            (self.winslow, "manager", self.manager_user),
            (self.parkway, "parkway", self.parkway_user),
        ):
            journeys = self._journeys(customer, user)
            for journey, records in journeys.items():
                with self.subTest(customer=customer.name, journey=journey):
                    self.assertTrue(records, f"{customer.name} has no demo {journey}")
            with self.subTest(customer=customer.name, journey="dashboard"):
                self._login(who)
                home = self.url_open("/my").text
                dashboard = home.split('id="service_dashboard"', 1)[-1]
                for journey in ("quote", "unpaid", "estimate"):
                    name = journeys[journey][:1].name
                    self.assertIn(name, dashboard, f"{journey} {name} on the dashboard")
                visit = journeys["today"][:1]
                if visit and visit.date_start > now:
                    self.assertIn(visit.name, dashboard, "today's visit is upcoming")
                estimate = journeys["estimate"][:1]
                page = self.url_open(f"/my/requests/{estimate.service_ticket_id.id}").text
                self.assertIn("o_estimate_sign", page, "the estimate is signed on its request")
