"""20 dispatchers confirm 20 customers' requests into a technician's last free window at
once: exactly one is confirmed.

Each confirmation runs as Odoo runs an HTTP request: in its own database cursor (own
transaction, REPEATABLE READ), wrapped in `odoo.service.model.retrying`. Every transaction
sees the window free (the others have not committed); the exclusion constraint on confirmed
windows lets one through and refuses the others. The data must be committed, so this test
sets up and cleans up its own records in registry cursors instead of the test transaction.
"""

import threading
import uuid
from datetime import datetime, time, timedelta

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

PARALLEL = 20


@tagged("post_install", "-at_install")
class TestArrivalParallelBooking(TransactionCase):
    def _committed(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, api.SUPERUSER_ID, {}))

    def _setup(self, env):
        tag = uuid.uuid4().hex[:8]
        # the window: 8:00-10:00 UTC, three days from now; the technician works only then
        day = (fields.Datetime.now() + timedelta(days=3)).date()
        start = datetime.combine(day, time(8))
        window = (start, start + timedelta(hours=2))
        customer = env["res.partner"].create({"name": f"Race {tag}", "is_company": True})
        calendar = env["resource.calendar"].create(
            {
                "name": f"Race {tag}",
                "tz": "UTC",
                "attendance_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "name": "the only slot",
                            "dayofweek": str(day.weekday()),
                            "hour_from": 8,
                            "hour_to": 10,
                            "day_period": "morning",
                        }
                    ),
                ],
            }
        )
        technician = env["res.users"].create(
            {
                "name": f"Race tech {tag}",
                "login": f"race-tech-{tag}",
                "group_ids": [Command.set([env.ref("base.group_user").id])],
            }
        )
        # this technician's calendar alone decides: the others (demo data) are set aside
        others = env["service.technician"].search([])
        others.active = False
        availability = env["service.technician"].create(
            {
                "user_id": technician.id,
                "resource_calendar_id": calendar.id,
                "tz": "UTC",
                "site_ids": [Command.set(customer.ids)],
            }
        )
        # on leave every other week of the horizon: this window is the last one left
        env["resource.calendar.leaves"].create(
            {
                "name": "Away",
                "resource_id": availability.resource_id.id,
                "date_from": window[1],
                "date_to": window[1] + timedelta(days=60),
            }
        )
        template = env["service.arrival.window"].create(
            {"weekday": str(day.weekday()), "hour_from": 8, "hour_to": 10}
        )
        dispatcher = env["res.users"].create(
            {
                "name": f"Race dispatcher {tag}",
                "login": f"race-dispatcher-{tag}",
                "group_ids": [Command.set([env.ref("service_portal.group_service_user").id])],
            }
        )
        orders = env["service.order"].create(
            [{"partner_id": customer.id, "kind": "service"} for _index in range(PARALLEL)]
        )
        windows = env["service.order.window"].create(
            [
                {"order_id": order.id, "window_start": window[0], "window_end": window[1]}
                for order in orders
            ]
        )
        return {
            "customer": customer.id,
            "calendar": calendar.id,
            "technician": technician.id,
            "availability": availability.id,
            "template": template.id,
            "dispatcher": dispatcher.id,
            "orders": orders.ids,
            "windows": windows.ids,
            "window": window,
            "others": others.ids,
        }

    def _cleanup(self, env, ids):
        env["service.order"].browse(ids["orders"]).unlink()
        env["service.arrival.window"].browse(ids["template"]).unlink()
        availability = env["service.technician"].browse(ids["availability"])
        resource = availability.resource_id
        env["resource.calendar.leaves"].search([("resource_id", "=", resource.id)]).unlink()
        availability.unlink()
        resource.unlink()
        env["resource.calendar"].browse(ids["calendar"]).unlink()
        users = env["res.users"].browse([ids["technician"], ids["dispatcher"]])
        partners = users.partner_id
        users.unlink()
        partners.unlink()
        env["res.partner"].browse(ids["customer"]).unlink()
        env["service.technician"].browse(ids["others"]).active = True

    def test_twenty_parallel_confirmations_of_the_last_free_window(self):
        ids = self._committed(self._setup)
        self.addCleanup(self._committed, lambda env: self._cleanup(env, ids))

        def free_windows(env):
            # for a new visit of the customer: none of the racing orders is left out
            visit = env["service.order"].new({"partner_id": ids["customer"], "kind": "service"})
            return visit._arrival_free_windows()

        free = self._committed(free_windows)
        self.assertEqual(list(free), [ids["window"]], "the race is for the last free window")

        barrier = threading.Barrier(PARALLEL)
        outcomes = [None] * PARALLEL

        def confirm(index):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, ids["dispatcher"], {})
                    barrier.wait(timeout=30)

                    def book():
                        window = env["service.order.window"].browse(ids["windows"][index])
                        return window.action_confirm()

                    outcomes[index] = ("confirmed", retrying(book, env))
            except UserError as error:
                outcomes[index] = ("refused", str(error))
            except Exception as error:  # any other outcome fails below
                outcomes[index] = ("crashed", repr(error))

        threads = [threading.Thread(target=confirm, args=(i,)) for i in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        kinds = [outcome and outcome[0] for outcome in outcomes]
        self.assertEqual(kinds.count("confirmed"), 1, outcomes)
        self.assertEqual(kinds.count("refused"), PARALLEL - 1, outcomes)
        for kind, message in outcomes:
            if kind == "refused":
                # refused by the exclusion constraint, or seeing the winner already committed
                self.assertRegex(message, "just booked|No technician is free")

        def check(env):
            windows = env["service.order.window"].browse(ids["windows"])
            orders = env["service.order"].browse(ids["orders"])
            return (
                windows.mapped("state").count("confirmed"),
                len(orders.filtered(lambda order: order.state == "scheduled")),
                len(orders.filtered(lambda order: order.technician_ids)),
                free_windows(env),
            )

        confirmed, scheduled, assigned, free_after = self._committed(check)
        self.assertEqual((confirmed, scheduled, assigned), (1, 1, 1))
        self.assertEqual(free_after, {}, "the window is no longer offered")
