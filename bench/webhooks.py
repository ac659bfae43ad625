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
  stored exactly once (none lost, none applied twice), checked in the database;
- money: the events that book money, in the order Stripe sends them days apart (each phase
  shuffled, with 10% repeats, from the same 8 clients): paid invoices with a 20% tax, then
  refunds (`charge.refunded`) and disputes won and lost (`charge.dispute.*`), then payouts
  (`payout.paid`, whose balance transactions the server fetches from a Stripe fake this
  script serves on loopback, through the real SDK). Afterwards: every event stored once,
  none failed, each invoice, credit note, dispute step and payout booked exactly once, and
  the Stripe journal's balance moved by exactly Stripe's balance (the sum of the fake's
  balance transactions). It sets up, in the database, a 20% tax and its Stripe mapping, a
  Stripe journal, a payout bank journal and a fee account (created once, reused), and a
  customer of its own with 50 subscriptions; its events, invoices and entries stay in the
  database (the settings it changes are restored): run it on a database of its own.

The machine's load varies (a shared development machine varies a lot), so the scenarios
run in --rounds rounds, each scenario right after a run of the stock webhook at the same
number of clients (the mixed storm in one part per round), and the ratio printed is the
median of the rounds' ratios.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import requests
from benchlib import configure_webhooks, rpc, sign, stripe_event

sys.path.insert(
    0, os.path.join(os.path.dirname(__file__), "..", "addons", "service_licensing", "tests")
)
from stripe_fake import StripeFake  # the tests' fake of Stripe, plain Python

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
    parser.add_argument("--money-invoices", type=int, default=300)
    parser.add_argument("--payouts", type=int, default=4)
    parser.add_argument("--subscriptions", type=int, default=50)
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
    money(call, sub, ours, args, baseline)


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


# ----------------------------------------------------------------------
# Money: invoices with tax, refunds, disputes, payouts
# ----------------------------------------------------------------------


MONEY_PARAMS = (
    "service_licensing.journal_id",
    "service_licensing.payout_journal_id",
    "service_licensing.fee_account_id",
    "service_licensing.stripe_api_base",
    "service_licensing.stripe_timeout",
    "service_licensing.stripe_network_retries",
)


def ensure(call, model, domain, values):
    found = call(model, "search", domain, limit=1)
    return found[0] if found else call(model, "create", values)


def bench_subscriptions(call, sub, count):
    """``count`` subscriptions of a customer of the bench's own (created once, reused by
    later runs): a month's invoices are spread over many subscriptions, and the demo
    customers the tests use are left alone."""
    demo = call("service.subscription", "read", [sub["id"]], ["product_id"])[0]
    partner = ensure(
        call,
        "res.partner",
        [("name", "=", "Stripe Bench Customer"), ("is_company", "=", True)],
        {"name": "Stripe Bench Customer", "is_company": True},
    )
    subs = []
    for index in range(count):
        stripe_id = f"sub_bench_money_{index}"
        ensure(
            call,
            "service.subscription",
            [("stripe_subscription_id", "=", stripe_id)],
            {
                "partner_id": partner,
                "product_id": demo["product_id"][0],
                "quantity": 3,
                "state": "active",
                "stripe_subscription_id": stripe_id,
                "stripe_customer_id": "cus_bench_money",
            },
        )
        subs.append(stripe_id)
    return subs, "cus_bench_money"


def configure_money(call, fake_url):
    """The accounting set-up of the money events (created once, reused by later runs)."""
    tax = ensure(
        call,
        "account.tax",
        [("name", "=", "Bench VAT 20%")],
        {"name": "Bench VAT 20%", "amount": 20, "type_tax_use": "sale"},
    )
    # Removed at the end: the tests map a 20% tax of their own, once per rate.
    existing = call(
        "service.stripe.tax.map", "search", [("rate", "=", 20), ("tax_behavior", "=", "exclusive")]
    )
    tax_map = None
    if not existing:
        tax_map = call(
            "service.stripe.tax.map",
            "create",
            {"rate": 20, "tax_behavior": "exclusive", "tax_id": tax},
        )
    stripe_journal = ensure(
        call,
        "account.journal",
        [("code", "=", "BSTR")],
        {"name": "Stripe (bench)", "type": "bank", "code": "BSTR"},
    )
    bank_journal = ensure(
        call,
        "account.journal",
        [("code", "=", "BBNK")],
        {"name": "Bank (bench payouts)", "type": "bank", "code": "BBNK"},
    )
    fee_account = ensure(
        call,
        "account.account",
        [("code", "=", "627900")],
        {"name": "Stripe fees (bench)", "code": "627900", "account_type": "expense"},
    )
    previous = {key: call("ir.config_parameter", "get_param", key) for key in MONEY_PARAMS}
    for key, value in (
        ("service_licensing.journal_id", stripe_journal),
        ("service_licensing.payout_journal_id", bank_journal),
        ("service_licensing.fee_account_id", fee_account),
        ("service_licensing.stripe_api_base", fake_url),
        ("service_licensing.stripe_timeout", 20),
        ("service_licensing.stripe_network_retries", 2),
    ):
        call("ir.config_parameter", "set_param", key, str(value))
    stripe_account = call("account.journal", "read", [stripe_journal], ["default_account_id"])[0][
        "default_account_id"
    ][0]
    return stripe_account, fee_account, tax_map, previous


def balance(call, account):
    lines = call(
        "account.move.line",
        "search_read",
        [("account_id", "=", account), ("parent_state", "=", "posted")],
        fields=["balance"],
    )
    return round(sum(line["balance"] for line in lines), 2)


def invoice_object(invoice_id, sub_id, customer, amount, created):
    """A paid Stripe invoice of the SDK's pinned API version: one line, 20% exclusive tax."""
    tax = round(amount * 0.2)
    total = amount + tax
    return {
        "id": invoice_id,
        "object": "invoice",
        "number": f"INV-{invoice_id}",
        "currency": "usd",
        "customer": customer,
        "created": created,
        "livemode": False,
        "status": "paid",
        "subtotal": amount,
        "total": total,
        "total_excluding_tax": amount,
        "total_taxes": [
            {
                "amount": tax,
                "tax_behavior": "exclusive",
                "tax_rate_details": {"tax_rate": "txr_bench_20"},
                "taxability_reason": "standard_rated",
                "taxable_amount": amount,
                "type": "tax_rate_details",
            }
        ],
        "amount_due": total,
        "amount_paid": total,
        "amount_remaining": 0,
        "status_transitions": {"paid_at": created},
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": sub_id, "metadata": {}},
        },
        "lines": {
            "object": "list",
            "has_more": False,
            "data": [
                {
                    "id": f"il_{invoice_id}",
                    "object": "line_item",
                    "amount": amount,
                    "currency": "usd",
                    "description": "Technician licences",
                    "quantity": 1,
                    "taxes": [
                        {
                            "amount": tax,
                            "tax_behavior": "exclusive",
                            "tax_rate_details": {"tax_rate": "txr_bench_20"},
                            "taxability_reason": "standard_rated",
                            "taxable_amount": amount,
                            "type": "tax_rate_details",
                        }
                    ],
                }
            ],
        },
        "payments": {
            "object": "list",
            "has_more": False,
            "data": [
                {
                    "id": f"inpay_{invoice_id}",
                    "object": "invoice_payment",
                    "amount_paid": total,
                    "currency": "usd",
                    "invoice": invoice_id,
                    "status": "paid",
                    "payment": {"type": "payment_intent", "payment_intent": f"pi_{invoice_id}"},
                }
            ],
        },
    }


def settle(call, prefix, timeout=900):
    """Wait until the retry cron has processed every deferred event of ``prefix``."""
    cron = call(
        "ir.model.data",
        "search_read",
        [("module", "=", "service_licensing"), ("name", "=", "ir_cron_retry_stripe_events")],
        fields=["res_id"],
    )[0]["res_id"]
    deadline = time.time() + timeout
    while True:
        waiting = call(
            "service.stripe.event",
            "search_count",
            [
                ("stripe_id", "=like", f"{prefix}%"),
                "|",
                ("state", "=", "received"),
                "&",
                ("state", "=", "failed"),
                ("attempts", "<", 3),
            ],
        )
        if not waiting or time.time() > deadline:
            return waiting
        try:
            call("ir.cron", "method_direct_trigger", [cron])
        except xmlrpc.client.Fault:
            time.sleep(1)  # the cron worker is running it already


def post_phase(call, url, name, unique, duplicate_share, clients, baseline):
    """Post a phase's events (with repeats, shuffled); check each one stored once."""
    prefix = f"{RUN}money_{name}_"
    payloads = [
        json.dumps(event(kind, obj, event_id=f"{prefix}{index}"))
        for index, (kind, obj) in enumerate(unique)
    ]
    repeats = round(len(payloads) * duplicate_share / (1 - duplicate_share))
    mixed_payloads = payloads + random.choices(payloads, k=repeats)
    random.shuffle(mixed_payloads)
    rate = run(name, url, mixed_payloads, clients)
    print(f"{'':<11} {rate / baseline:.2f}x the stock webhook's rate ({repeats} repeats)")
    waiting = settle(call, prefix)
    groups = call(
        "service.stripe.event",
        "read_group",
        [("stripe_id", "=like", f"{prefix}%")],
        ["stripe_id"],
        ["stripe_id"],
        lazy=False,
    )
    counts = outcomes(call, prefix)
    lost = len(payloads) - len(groups)
    doubled = sum(1 for group in groups if group["__count"] > 1)
    print(f"{'':<11} {lost} lost, {doubled} stored twice, outcomes {counts}")
    if lost or doubled or waiting or counts["failed"]:
        errors = call(
            "service.stripe.event",
            "search_read",
            [("stripe_id", "=like", f"{prefix}%"), ("state", "=", "failed")],
            fields=["stripe_id", "error"],
            limit=5,
        )
        raise SystemExit(f"FAILED: {name}: {errors}")
    return len(mixed_payloads), rate


def money(call, sub, url, args, baseline):
    fake = StripeFake().start()
    fake.id_tag = RUN.removeprefix("evt_")  # charges and payouts of this run only
    stripe_account, fee_account, tax_map, previous = configure_money(call, fake.url)
    subs, customer = bench_subscriptions(call, sub, args.subscriptions)
    stripe_before, fees_before = balance(call, stripe_account), balance(call, fee_account)
    count = args.money_invoices
    print(
        f"money: {count} paid invoices with tax ({len(subs)} subscriptions), refunds, disputes "
        f"and {args.payouts} payouts, {args.mixed_clients} clients"
    )
    now = int(time.time())
    invoices, refunds, disputes, payouts = [], [], [], []
    fees = lost_total = 0
    per_payout = max(1, count // args.payouts)
    for index in range(count):
        invoice = invoice_object(
            f"in_{RUN}{index}",
            subs[index % len(subs)],
            customer,
            random.choice((4900, 9800, 19600)),
            now,
        )
        invoices.append(("invoice.paid", invoice))
        fee = round(invoice["total"] * 0.029) + 30
        fees += fee
        charge = fake.add_charge(
            invoice["total"], payment_intent=f"pi_{invoice['id']}", fee=fee, customer=customer
        )
        if index % 5 == 1:
            refunded = invoice["total"] // 2
            fake.add_refund(charge["id"], refunded)
            refunds.append(
                (
                    "charge.refunded",
                    {
                        "id": charge["id"],
                        "object": "charge",
                        "amount": invoice["total"],
                        "amount_refunded": refunded,
                        "currency": "usd",
                        "customer": customer,
                        "payment_intent": f"pi_{invoice['id']}",
                        "refunded": False,
                        "status": "succeeded",
                    },
                )
            )
        elif index % 7 == 3:
            status = "won" if index % 2 else "lost"
            dispute = {
                "id": f"dp_{RUN}{index}",
                "object": "dispute",
                "amount": invoice["total"],
                "currency": "usd",
                "charge": charge["id"],
                "payment_intent": f"pi_{invoice['id']}",
                "created": now,
                "livemode": False,
                "reason": "fraudulent",
                "status": "needs_response",
                "evidence_details": {"due_by": now + 7 * 86400},
            }
            disputes.append(("charge.dispute.created", dispute))
            disputes.append(("charge.dispute.closed", {**dispute, "status": status}))
            fake.add_dispute({**dispute, "status": status})
            fees += 1500
            lost_total += invoice["total"] if status == "lost" else 0
        if (index + 1) % per_payout == 0 or index == count - 1:
            payouts.append(("payout.paid", fake.add_payout("usd")))
    posted = 0
    elapsed = 0.0
    for name, unique in (
        ("invoices", invoices),
        ("refunds", refunds + disputes),
        ("payouts", payouts),
    ):
        sent, rate = post_phase(
            call, url, name, unique, args.duplicates, args.mixed_clients, baseline
        )
        posted += sent
        elapsed += sent / rate
    fake.stop()
    if tax_map:
        call("service.stripe.tax.map", "unlink", [tax_map])
    for key, value in previous.items():  # the fake is gone: the settings as they were
        call("ir.config_parameter", "set_param", key, value or False)
    # Each thing booked once.
    booked = {
        "invoices": call(
            "account.move", "search_count", [("service_stripe_invoice_id", "=like", f"in_{RUN}%")]
        ),
        "credit notes": call(
            "account.move",
            "search_count",
            [("reversed_entry_id.service_stripe_invoice_id", "=like", f"in_{RUN}%")],
        ),
        "dispute entries": call(
            "account.move", "search_count", [("service_stripe_dispute_key", "=like", f"dp_{RUN}%")]
        ),
        "payout entries": call(
            "account.move",
            "search_count",
            [("service_stripe_payout_id", "in", [p["id"] for _kind, p in payouts])],
        ),
    }
    expected = {
        "invoices": len(invoices),
        "credit notes": len(refunds),
        "dispute entries": len(disputes),
        "payout entries": len(payouts),
    }
    stripe_moved = round(balance(call, stripe_account) - stripe_before, 2)
    fees_moved = round(balance(call, fee_account) - fees_before, 2)
    print(f"money: {posted} events at {posted / elapsed:.1f}/s overall, booked {booked}")
    print(
        f"       Stripe journal moved by {stripe_moved:.2f}, Stripe's balance by "
        f"{fake.balance() / 100:.2f}; fees and lost disputes {fees_moved:.2f} "
        f"(Stripe: {(fees + lost_total) / 100:.2f})"
    )
    if (
        booked != expected
        or abs(stripe_moved - fake.balance() / 100) > 0.001
        or abs(fees_moved - (fees + lost_total) / 100) > 0.001
    ):
        raise SystemExit(f"FAILED: booked {booked}, expected {expected}")
    print("money: 0 lost, 0 applied twice, the books match Stripe")


if __name__ == "__main__":
    main()
