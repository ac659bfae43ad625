#!/usr/bin/env python3
"""Knowledge-base search at volume: PostgreSQL full-text search against a naive ilike search.

Fills a database that has `service_helpdesk` installed with generated help desk articles
(100,000 by default; words drawn with Zipf frequencies as in real text: stop words first,
then ~330 field-service words, then a long tail of rarer words and model codes), then times
the search behind /helpdesk (`_kb_search`: GIN-indexed tsvector read level by level of
words matched, ts_rank_cd ranking with title matches first, ts_headline snippets for the
page, all in one statement after the one that corrects typos) and a naive search over the same
fields (every word `ilike` in title, problem or solution, the way Odoo's website search
matches words), both as the public visitor, each returning the total and the first page
of 20. It prints the median and p95 of each over varied terms and realistic questions
(some misspelt) and their ratio (the goal is 50x or more at p95), and the share of
questions that find nothing with each search (the goal: none, for the questions that share
a meaningful word with an article).

    tools/devdb.sh init                                   # or any database with the addon
    .venv/bin/python bench/kb_search.py --db sp_dev_helpdesk
    .venv/bin/python bench/kb_search.py --db sp_dev_helpdesk --cleanup   # remove the rows

Generated rows carry the sequence 987654 so that --cleanup removes them and nothing else.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/19.0")
sys.path.insert(0, ODOO_SRC)

BENCH_SEQUENCE = 987654
PAGE = 20
VOCABULARY = """
boiler pressure radiator valve thermostat battery display heating cooling chiller compressor
condenser evaporator refrigerant leak drip pipe pump motor fan belt bearing noise vibration
alarm panel code keypad sensor detector smoke fire sprinkler extinguisher exit light lamp bulb
ballast switch breaker fuse circuit socket outlet wire cable voltage current earth ground
generator battery inverter solar panel roof gutter drain sewer toilet flush tap faucet sink
shower heater tank cylinder immersion timer schedule program controller gateway network
router wifi signal camera recorder screen monitor projector speaker amplifier microphone
door lock hinge closer handle roller shutter gate barrier intercom badge reader card access
lift elevator escalator cabin button floor shaft cable brake governor lever window glass
frame seal gasket filter duct vent damper diffuser grille humidity temperature airflow
odour smell smoke water ice frost condensation mould dust dirt rust corrosion crack break
fault error code reset restart reboot update firmware software license portal invoice quote
visit technician engineer appointment schedule warranty contract maintenance inspection
service repair replace install commission calibrate clean test check measure adjust tighten
north south east west basement attic kitchen office lobby corridor stairwell plant room
library theatre cinema hall gym pool classroom laboratory warehouse loading bay parking
""".split()
# Function words lead the word frequencies of real text (PostgreSQL drops them as stop words);
# domain words come next, then a long tail of rarer words (part names, brands, codes).
STOP_WORDS = """
the a an is are was were be been to of in on at for with and or but if then when it its
this that these those not no do does did you your we our they their from by as can will
should would after before into out up down over again all any some more most other only
very there here so than too also just about because while where which who what how
""".split()
SYLLABLES = "ba ce di fo gu ha ke li mo nu pa re si to vu wa xe yo za ter lan mor vex".split()
RARE = [f"model{n}x" for n in range(2000)]


def _vocabulary(seed):
    """Words by decreasing frequency and their Zipf cumulative weights (s = 1)."""
    rng = random.Random(seed)
    tail = sorted(
        {"".join(rng.choice(SYLLABLES) for __ in range(rng.randint(2, 4))) for __ in range(30000)}
    )
    rng.shuffle(tail)
    domain = list(VOCABULARY)
    rng.shuffle(domain)
    words = STOP_WORDS + domain + tail
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    title_words = domain + tail
    title_cumulative, total = [], 0.0
    for rank in range(1, len(title_words) + 1):
        total += 1 / rank
        title_cumulative.append(total)
    return (words, cumulative), (title_words, title_cumulative)


TERMS = [
    "boiler",
    "pressure",
    "boiler pressure",
    "thermostat battery",
    "compressor noise",
    "alarm panel code",
    "loading bay door",
    "model1234x",
    "model77x fault",
    "firmware upd",
    "radiator cold in the library",
    "tv",
    "lift stuck between floors",
    "leak",
    "projector fan",
    "reset",
]
# Questions as customers type them: most words of a question are in no article, some are
# misspelt, the last one shares no word with the knowledge base.
QUESTIONS = [
    "radiator cold in the library",
    "radiater cold in libary",
    "lift stuck between floors",
    "boiler keeps losing presure",
    "smoke detector beeping at night",
    "projector in the theatre shows no signal",
    "water leaking from the ceiling of the gym",
    "door closer broken in the lobby",
    "wifi not working in classroom 4",
    "how do I reset the alarm keypad",
    "thermostat display is blank",
    "emergency light flickering in the stairwell",
    "toilet will not flush",
    "escalater stopped suddenly",
    "when is my next maintenance visit",
    "airconditioning not cooling the office",
    "gate barrier does not open for my card",
    "strange smell from the kitchen drain",
    "model1234x shows an error code",
    "xyzzy plugh frobnicate",
]


def _sentence(rng, vocabulary, words):
    population, cumulative = vocabulary
    text = " ".join(rng.choices(population, cum_weights=cumulative, k=words))
    if rng.random() < 0.05:
        text += " " + rng.choice(RARE)
    return text


def _odoo_env(db, config_file):
    import odoo  # imported here: ODOO_SRC is put on sys.path above
    from odoo.modules.registry import Registry
    from odoo.tools import config

    args = ["-d", db]
    if config_file and Path(config_file).is_file():
        args = ["-c", config_file, *args]
    config.parse_config(args)
    registry = Registry(db)
    return odoo, registry


def generate(env, count, seed):
    import psycopg2.extras

    cr = env.cr
    cr.execute("SELECT count(*) FROM service_kb_article WHERE sequence = %s", [BENCH_SEQUENCE])
    existing = cr.fetchone()[0]
    missing = count - existing
    if missing <= 0:
        print(f"{existing} generated articles already there")
        return
    rng = random.Random(seed + existing)
    text_words, title_words = _vocabulary(seed)
    print(f"generating {missing} articles ...", flush=True)
    started = time.perf_counter()
    batch = []
    for __ in range(missing):
        title = _sentence(rng, title_words, rng.randint(3, 7)).capitalize()
        problem = f"<p>{_sentence(rng, text_words, rng.randint(20, 60))}</p>"
        solution = "".join(
            f"<p>{_sentence(rng, text_words, rng.randint(15, 40))}</p>" for __ in range(3)
        )
        batch.append((title, problem, solution, rng.randint(0, 500)))
        if len(batch) == 5000:
            _insert(psycopg2.extras, cr, batch)
            batch = []
    if batch:
        _insert(psycopg2.extras, cr, batch)
    cr.commit()
    _vacuum(cr.dbname)
    print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)


def _vacuum(db):
    """VACUUM ANALYZE (outside a transaction): without it the GIN indexes still point at the
    rows of an earlier --cleanup and every search visits them; the word and lexeme lists
    get their statistics."""
    import psycopg2  # imported here: ODOO_SRC is put on sys.path above

    from odoo.sql_db import connection_info_for  # imported here, as above

    __, info = connection_info_for(db)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE service_kb_article, service_kb_word, service_kb_lexeme")
    finally:
        connection.close()


def _insert(extras, cr, rows):
    extras.execute_values(
        cr._obj,
        """
        INSERT INTO service_kb_article (name, problem, solution, view_count, sequence,
            is_published, visibility, active, helpful_count, unhelpful_count,
            create_uid, write_uid, create_date, write_date)
        VALUES %s
        """,
        rows,
        template=f"(%s, %s, %s, %s, {BENCH_SEQUENCE}, true, 'public', true, 0, 0, 1, 1,"
        " now() at time zone 'utc', now() at time zone 'utc')",
        page_size=1000,
    )


def naive_search(Article, text):
    """What a plain ORM search does: every word ilike in title, problem or solution."""
    from odoo.fields import Domain

    domain = Article._kb_base_domain()
    for word in text.split():
        domain &= Domain.OR(
            [
                Domain("name", "ilike", word),
                Domain("problem", "ilike", word),
                Domain("solution", "ilike", word),
            ]
        )
    total = Article.search_count(domain)
    return Article.search(domain, limit=PAGE, order="view_count desc, id desc"), total


def fts_search(Article, text):
    articles, total, __ = Article._kb_search(text, limit=PAGE)
    return articles, total


def _shares_a_word(Article, text):
    """True when an article has one of the question's words as typed (stemmed, no typo
    correction): the questions that must never show an empty page."""
    from odoo.tools import SQL  # imported here: ODOO_SRC is put on sys.path above

    terms = Article._kb_search_terms(text)
    if not terms:
        return False
    query = Article._search(Article._kb_base_domain(), limit=1)
    query.add_where(
        SQL(
            "%s @@ to_tsquery('english', %s)",
            SQL.identifier(query.table, "search_vector"),
            " | ".join(terms),
        )
    )
    return bool(Article.env.execute_query(query.select()))


def _time(function, Article, text, repeat):
    timings = []
    total = 0
    for __ in range(repeat):
        Article.env.invalidate_all()
        started = time.perf_counter()
        __, total = function(Article, text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, total


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("DEV_DB", "service_portal_dev"))
    parser.add_argument("--config", default=str(ROOT / ".build" / "odoo-dev.conf"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--cleanup", action="store_true", help="delete the generated rows")
    args = parser.parse_args()

    odoo, registry = _odoo_env(args.db, args.config)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.cleanup:
            cr.execute("DELETE FROM service_kb_article WHERE sequence = %s", [BENCH_SEQUENCE])
            print(f"deleted {cr.rowcount} generated articles")
            env["service.kb.article"]._kb_rebuild_words()
            cr.commit()
            _vacuum(args.db)
            return
        generate(env, args.articles, args.seed)
        # imported here: ODOO_SRC is put on sys.path above
        from odoo.addons.service_helpdesk.const import KB_COUNT_CAP

        public = env.ref("base.public_user")
        Article = env["service.kb.article"].with_user(public)
        cr.execute("SELECT count(*) FROM service_kb_article")
        print(f"articles in the table: {cr.fetchone()[0]}")
        for text in TERMS[:2]:  # warm the caches of both paths
            fts_search(Article, text)
            naive_search(Article, text)

        print(
            f"\n{'term or question':32} {'matches':>8} {'fts ms':>8} {'ilike ms':>9} {'ratio':>7}"
        )
        fts_all, naive_all = [], []
        zero_fts, zero_naive, zero_sharing, sharing = 0, 0, 0, 0
        for text in TERMS + [q for q in QUESTIONS if q not in TERMS]:
            fts, fts_total = _time(fts_search, Article, text, args.repeat)
            naive, naive_total = _time(naive_search, Article, text, args.repeat)
            fts_all += fts
            naive_all += naive
            ratio = statistics.median(naive) / statistics.median(fts)
            shown_total = f">{fts_total - 1}" if fts_total > KB_COUNT_CAP else str(fts_total)
            print(
                f"{text[:32]:32} {shown_total:>8} {statistics.median(fts):>8.1f}"
                f" {statistics.median(naive):>9.1f} {ratio:>6.1f}x"
                + (f"  (ilike: {naive_total})" if naive_total != fts_total else "")
            )
            if text in QUESTIONS:
                shares = _shares_a_word(Article, text)
                sharing += shares
                zero_fts += not fts_total
                zero_naive += not naive_total
                zero_sharing += shares and not fts_total
        fts_median, naive_median = statistics.median(fts_all), statistics.median(naive_all)
        fts_p95, naive_p95 = _p95(fts_all), _p95(naive_all)
        print(
            f"\nfull-text search: median {fts_median:.1f} ms, p95 {fts_p95:.1f} ms"
            f"\nnaive ilike:      median {naive_median:.1f} ms, p95 {naive_p95:.1f} ms"
            f"\nratio:            median {naive_median / fts_median:.1f}x,"
            f" p95 {naive_p95 / fts_p95:.1f}x (goal: 50x)"
            f"\nzero-result pages over {len(QUESTIONS)} questions:"
            f" full-text search {zero_fts} ({100 * zero_fts / len(QUESTIONS):.0f}%),"
            f" naive ilike {zero_naive} ({100 * zero_naive / len(QUESTIONS):.0f}%);"
            f" among the {sharing} sharing a word with an article: {zero_sharing} (goal: 0)"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
