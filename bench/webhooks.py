"""Stripe webhook throughput: our /service/stripe/webhook against stock /payment/stripe/webhook.

Not a test: run it by hand against an Odoo server that serves a database made by
`tools/devdb.sh init` (with service_licensing and its demo data), ideally multi-worker:

    cp .build/odoo-DB.conf /tmp/bench.conf   # made by tools/devdb.sh for DB
    .venv/bin/python /opt/odoo/19.0/odoo-bin -c /tmp/bench.conf --workers 4 &
    .venv/bin/python bench/webhooks.py --url http://127.0.0.1:8069 --db DB

It sets the webhook secret of the Stripe payment provider and of the licensing endpoint
(XML-RPC as admin/admin), then
posts signed events from parallel clients and prints events per second and latencies:

- stock: payment_stripe's own webhook with events it looks up and ignores (the baseline);
- ignored: our webhook, an event type we record and ignore (verify + store once);
- updates: our webhook, `customer.subscription.updated` for one subscription, every event
  applied (the worst case: all of them lock the same row);
- duplicates: our webhook, one event delivered again and again;
- mixed (the figure the licensing issue asks for): 2,000 signed events of which 10% are
  repeats of others, shuffled, from 8 clients; afterwards every unique event must be
  stored exactly once (none lost, none applied twice), checked in the database.

The machine's load varies (a shared development machine varies a lot), so the scenarios
run in --rounds rounds, each scenario right after a run of the stock webhook at the same
number of clients (the mixed storm in one part per round), and the ratio printed is the
median of the rounds' ratios.
"""

import argparse
import json
import random
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from benchlib import configure_webhooks, rpc, sign, stripe_event

RUN = f"evt_bench_{uuid.uuid4().hex[:6]}_"  # the ids of this run's events start with it


def outcomes(call, ids_prefix):
    """How the events of this run ended: processed, ignored, failed, or received (deferred)."""
    counts = {}
    for state in ("processed", "ignored", "failed", "received"):
        counts[state] = call(
            "service.stripe.event",
            "search_count",
            [("stripe_id", "=like", f"{ids_prefix}%"), ("state", "=", state)],
        )
    return counts


def configure(call):
    """Set the webhook secrets; return a subscription with a Stripe id."""
    configure_webhooks(call)
    subs = call(
        "service.subscription",
        "search_read",
        [("stripe_subscription_id", "!=", False)],
        fields=["stripe_subscription_id", "quantity"],
        limit=1,
    )
    if not subs:
        raise SystemExit("no subscription with a Stripe id: install service_licensing's demo")
    return subs[0]


def event(event_type, obj, event_id=None, created=None):
    return stripe_event(event_type, obj, event_id=event_id, created=created, prefix=RUN)


def run(name, url, payloads, concurrency):
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=concurrency)
    session.mount("http://", adapter)

    def post(payload):
        start = time.perf_counter()
        response = session.post(
            url,
            data=payload,
            headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)},
            timeout=60,
        )
        return response.status_code, time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(post, payloads))
    elapsed = time.perf_counter() - start
    latencies = sorted(latency for _status, latency in results)
    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    rate = len(payloads) / elapsed
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"{name:<11} {len(payloads):>6} events {rate:>8.1f}/s  "
        f"p50 {statistics.median(latencies) * 1000:>7.1f} ms  p95 {p95 * 1000:>7.1f} ms  "
        f"HTTP {statuses}"
    )
    return rate


def stock_payloads(count):
    """Events payment_stripe's webhook looks up and ignores (no transaction has them)."""
    return [
        json.dumps(
            event(
                "payment_intent.succeeded",
                {
                    "id": f"pi_bench_{uuid.uuid4().hex}",
                    "object": "payment_intent",
                    "description": "nope",
                },
            )
        )
        for _i in range(count)
    ]


def scenarios(sub, count, now):
    """Our webhook's payloads of one round: (name, payloads)."""
    ignored = [json.dumps(event("charge.succeeded", {"id": f"ch_bench_{i}"})) for i in range(count)]
    updates = [
        json.dumps(
            event(
                "customer.subscription.updated",
                {
                    "id": sub["stripe_subscription_id"],
                    "object": "subscription",
                    "status": "active",
                    "customer": "cus_bench",
                    "items": {"data": [{"quantity": sub["quantity"]}]},
                },
                created=now + i,
            )
        )
        for i in range(count)
    ]
    duplicate = json.dumps(event("charge.succeeded", {"id": "ch_bench_dup"}))
    return [("ignored", ignored), ("updates", updates), ("duplicates", [duplicate] * count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--events", type=int, default=300, help="events per scenario and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mixed-events", type=int, default=2000)
    parser.add_argument("--mixed-clients", type=int, default=8)
    parser.add_argument("--duplicates", type=float, default=0.10)
    args = parser.parse_args()

    call = rpc(args.url, args.db, args.login, args.password)
    sub = configure(call)
    ours = f"{args.url}/service/stripe/webhook"
    stock = f"{args.url}/payment/stripe/webhook"
    mixed_prefix, mixed_unique, mixed_payloads = mixed_stream(args.mixed_events, args.duplicates)
    chunk = -(-len(mixed_payloads) // args.rounds)
    print(
        f"{args.rounds} rounds; per round {args.events} events per scenario from "
        f"{args.concurrency} clients, and 1/{args.rounds} of the mixed storm "
        f"({args.mixed_events} events, {args.mixed_events - mixed_unique} repeats) from "
        f"{args.mixed_clients} clients, each beside the stock webhook at the same concurrency; "
        f"{args.url} / {args.db}"
    )
    ratios = {}
    rates = {}
    now = int(time.time())
    for number in range(args.rounds):
        print(f"round {number + 1}")
        # each scenario right after the stock webhook at the same concurrency: the load of
        # a shared machine varies from one minute to the next
        for name, payloads in scenarios(sub, args.events, now + number * args.events):
            baseline = run("stock", stock, stock_payloads(args.events), args.concurrency)
            rates.setdefault("stock", []).append(baseline)
            rate = run(name, ours, payloads, args.concurrency)
            rates.setdefault(name, []).append(rate)
            ratios.setdefault(name, []).append(rate / baseline)
        part = mixed_payloads[number * chunk : (number + 1) * chunk]
        baseline = run("stock", stock, stock_payloads(len(part)), args.mixed_clients)
        rates.setdefault(f"stock ({args.mixed_clients} clients)", []).append(baseline)
        rate = run("mixed", ours, part, args.mixed_clients)
        rates.setdefault("mixed", []).append(rate)
        ratios.setdefault("mixed", []).append(rate / baseline)
    print()
    print("| scenario | events/s per round | our rate / stock's, per round | median |")
    print("|---|---|---|---|")
    for name, values in rates.items():
        per_round = " / ".join(f"{value:.1f}" for value in values)
        if name in ratios:
            each = " / ".join(f"{ratio:.2f}x" for ratio in ratios[name])
            median = f"**{statistics.median(ratios[name]):.2f}x**"
        else:
            each = median = ""
        print(f"| {name} | {per_round} | {each} | {median} |")
    print(
        "outcomes of our events (received = deferred to the cron, the subscription was busy):",
        outcomes(call, RUN),
    )
    check_mixed(call, mixed_prefix, mixed_unique)


def mixed_stream(total, duplicate_share):
    """The issue's scenario: unique events, and repeats of them, shuffled."""
    prefix = f"{RUN}mixed_"
    unique_count = round(total * (1 - duplicate_share))
    unique = [
        json.dumps(event("charge.succeeded", {"id": f"ch_mixed_{i}"}, event_id=f"{prefix}{i}"))
        for i in range(unique_count)
    ]
    payloads = unique + random.choices(unique, k=total - unique_count)
    random.shuffle(payloads)
    return prefix, unique_count, payloads


def check_mixed(call, prefix, unique_count):
    """Every unique event of the mixed storm stored once: none lost, none doubled."""
    stored = call("service.stripe.event", "search_count", [("stripe_id", "=like", f"{prefix}%")])
    groups = call(
        "service.stripe.event",
        "read_group",
        [("stripe_id", "=like", f"{prefix}%")],
        ["stripe_id"],
        ["stripe_id"],
        lazy=False,
    )
    doubled = [group["stripe_id"] for group in groups if group["__count"] > 1]
    lost = unique_count - len(groups)
    print(
        f"mixed: stored {stored} events for {unique_count} unique ones: "
        f"{lost} lost, {len(doubled)} stored more than once"
    )
    if lost or doubled or stored != unique_count:
        raise SystemExit("FAILED: events were lost or stored twice")


if __name__ == "__main__":
    main()
