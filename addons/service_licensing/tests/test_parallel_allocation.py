"""20 admins' requests race for the 5 free licences of a subscription: exactly 5 win.

Each request runs as Odoo runs an HTTP request: in its own database cursor (own
transaction, REPEATABLE READ), wrapped in `odoo.service.model.retrying`, which retries a
transaction that hit a serialization failure. The data must therefore be committed, so this
test sets up and cleans up its own records in registry cursors instead of using the test
transaction.
"""

import threading
import uuid

from odoo import Command, api
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

PARALLEL = 20
BOUGHT = 5


@tagged("post_install", "-at_install")
class TestParallelAllocation(TransactionCase):
    def _committed(self, func):
        """Run func in a new cursor, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, api.SUPERUSER_ID, {}))

    def _setup(self, env):
        tag = uuid.uuid4().hex[:8]
        customer = env["res.partner"].create({"name": f"Race {tag}", "is_company": True})
        owner_partner = env["res.partner"].create(
            {
                "name": f"Race owner {tag}",
                "email": f"owner-{tag}@race.example",
                "parent_id": customer.id,
                "service_admin_role": "owner",
            }
        )
        owner = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "partner_id": owner_partner.id,
                    "login": f"owner-{tag}@race.example",
                    "group_ids": [Command.set([env.ref("base.group_portal").id])],
                }
            )
        )
        subscription = env["service.subscription"].create(
            {
                "partner_id": customer.id,
                "product_id": env["product.product"]
                .create(
                    {
                        "name": f"Race plan {tag}",
                        "type": "service",
                        "service_plan_kind": "monthly",
                        "service_stripe_price_id": f"price_race_{tag}",
                    }
                )
                .id,
                "quantity": BOUGHT,
                "state": "active",
            }
        )
        return tag, customer.id, owner.id, subscription.id

    def _cleanup(self, env, customer_id):
        customer = env["res.partner"].browse(customer_id)
        subscriptions = env["service.subscription"].search([("partner_id", "=", customer.id)])
        products = subscriptions.product_id
        subscriptions.license_ids.unlink()
        subscriptions.unlink()
        products.product_tmpl_id.unlink()
        users = (
            env["res.users"]
            .with_context(active_test=False)
            .search([("partner_id.commercial_partner_id", "=", customer.id)])
        )
        partners = users.partner_id
        users.unlink()
        (partners | customer).unlink()

    def test_twenty_parallel_allocations_for_five_licences(self):
        tag, customer_id, owner_id, subscription_id = self._committed(self._setup)
        self.addCleanup(self._committed, lambda env: self._cleanup(env, customer_id))
        barrier = threading.Barrier(PARALLEL)
        outcomes = [None] * PARALLEL

        def request(index):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, owner_id, {})
                    barrier.wait(timeout=30)

                    def allocate():
                        subscription = env["service.subscription"].browse(subscription_id)
                        return subscription._allocate_license(
                            {"name": f"Tech {index}", "email": f"tech{index}-{tag}@race.example"}
                        ).id

                    outcomes[index] = ("allocated", retrying(allocate, env))
            except UserError as error:
                outcomes[index] = ("refused", str(error))
            except Exception as error:  # any other outcome (e.g. retries exhausted) fails below
                outcomes[index] = ("crashed", repr(error))

        threads = [threading.Thread(target=request, args=(i,)) for i in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        kinds = [outcome and outcome[0] for outcome in outcomes]
        self.assertEqual(kinds.count("allocated"), BOUGHT, outcomes)
        self.assertEqual(kinds.count("refused"), PARALLEL - BOUGHT, outcomes)
        for kind, message in outcomes:
            if kind == "refused":
                self.assertIn(f"All {BOUGHT} licences", message)

        def check(env):
            subscription = env["service.subscription"].browse(subscription_id)
            licenses = subscription.license_ids.filtered(lambda lic: lic.state != "revoked")
            return (
                len(licenses),
                subscription.quantity_allocated,
                len(env["res.users"].search([("login", "=like", f"tech%-{tag}@race.example")])),
            )

        held, allocated, users = self._committed(check)
        self.assertEqual((held, allocated, users), (BOUGHT, BOUGHT, BOUGHT))
