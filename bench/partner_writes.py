"""What the record-rule cache costs at 10,000 contact moves.

    .venv/bin/python bench/partner_writes.py -c CONF --db DB [--writes 10000]

In one transaction, rolled back at the end (DB is an installed database and CONF its Odoo
configuration, e.g. the .build/odoo-DB.conf of `tools/devdb.sh init`): creates two
customer companies and WRITES contacts, then moves each contact to the other company one
write at a time, as staff do. It counts how many of
those writes cleared the registry's caches (each clear makes every worker of every node drop
all of its ormcaches on its next request), times the writes as they are and with a clear
after each one (the behaviour before: any parent_id write cleared), and times a portal
user's first search after a clear (cold rules, access rights) beside a warm one: the cost
each worker pays after each clear.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
sys.path.insert(0, str(ODOO_SRC))

import odoo  # noqa: E402
from odoo import api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402


def _portal_search_seconds(env, user, clear):
    """Median time of a portal user's service-order search, after a cache clear or warm."""
    samples = []
    for _round in range(21):
        if clear:
            env.registry.clear_cache()
        env.invalidate_all()
        start = time.perf_counter()
        env["service.order"].with_user(user).search([])
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--writes", type=int, default=10000)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    clears = 0
    original_clear = type(registry).clear_cache

    def counting_clear(self, *cache_names):
        nonlocal clears
        clears += 1
        return original_clear(self, *cache_names)

    type(registry).clear_cache = counting_clear
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        Partner = env["res.partner"]
        first, second = Partner.create(
            [{"name": "Bench A", "is_company": True}, {"name": "Bench B", "is_company": True}]
        )
        contacts = Partner.create(
            [{"name": f"Contact {i}", "parent_id": first.id} for i in range(args.writes)]
        )
        env.flush_all()

        def move_all(target, clear_each):
            start = time.perf_counter()
            for contact in contacts:
                contact.write({"parent_id": target.id})
                if clear_each:
                    registry.clear_cache()
            env.flush_all()
            return time.perf_counter() - start

        clears = 0
        now_seconds = move_all(second, clear_each=False)
        clears_now = clears
        clears = 0
        before_seconds = move_all(first, clear_each=True)
        portal_user = env.ref("service_portal.user_winslow_north")
        warm = _portal_search_seconds(env, portal_user, clear=False)
        cold = _portal_search_seconds(env, portal_user, clear=True)
        cr.rollback()
    type(registry).clear_cache = original_clear
    print(f"{args.writes} contact moves (one write each), database {args.db}")
    print("| | now | before (clear on every parent_id write) |")
    print("|---|---|---|")
    print(f"| registry cache clears | {clears_now} | {clears} |")
    print(f"| time of the writes | {now_seconds:.1f} s | {before_seconds:.1f} s |")
    print(
        f"| a portal user's order search, median | warm {warm * 1000:.1f} ms | "
        f"after a clear {cold * 1000:.1f} ms (per worker, per clear) |"
    )


if __name__ == "__main__":
    main()
