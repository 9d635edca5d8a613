"""Autocomplete benchmark: /autocomplete/<type> against a 1,000,000-tag table.

Builds a throwaway archive (SQLite in a temporary data dir; and, when DATABASE_URL is set, a
throwaway database on that PostgreSQL server, dropped afterwards), bulk-inserts realistic
tags with their parents and autocomplete words, then times the endpoint in-process through
Django's test Client for 50 terms: 1-4 letter prefixes, common and rare, of every type, some
narrowed to fandoms (a small and a very large one). Prints p50/p95/max per database, the
queries per request, and the ratio to a floor request (a refused empty term: routing and
middleware only) measured in the same run.

Run: `.venv/bin/python bench/autocomplete.py [--tags N] [--repeat R]` (see bench/README.md).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 20.0


def _split(text: str) -> list[str]:
    return text.split()


def _split_tropes(text: str) -> list[str]:
    return " ".join(text.split()).replace("| ", "|").replace(" |", "|").split("|")


# Terms: (type, term, fandoms). Filled in with real fandom names once the data exists.
TERMS = [
    ("fandom", "s"), ("fandom", "t"), ("fandom", "x"), ("fandom", "ha"), ("fandom", "qu"),
    ("fandom", "the"), ("fandom", "star"), ("fandom", "zz"), ("fandom", "gol"), ("fandom", "tv"),
    ("character", "j"), ("character", "a"), ("character", "z"), ("character", "jo"),
    ("character", "mc"), ("character", "sher"), ("character", "wats"), ("character", "yu"),
    ("character", "xq"), ("character", "elen"), ("character", "bro"), ("character", "q"),
    ("relationship", "a"), ("relationship", "m"), ("relationship", "jo"), ("relationship", "har"),
    ("relationship", "j/"), ("relationship", "zz"), ("relationship", "mar"),
    ("relationship", "anna"), ("relationship", "wil"), ("relationship", "ky"),
    ("freeform", "a"), ("freeform", "f"), ("freeform", "h"), ("freeform", "al"),
    ("freeform", "flu"), ("freeform", "ang"), ("freeform", "hurt"), ("freeform", "coff"),
    ("freeform", "slow"), ("freeform", "zzz"), ("freeform", "au"), ("freeform", "x"),
    ("freeform", "fix"),
]  # fmt: skip
NARROWED_TERMS = [("character", "a"), ("character", "jo"), ("relationship", "m"),
                  ("relationship", "wil"), ("character", "zz")]  # fmt: skip

FIRST = _split(
    """
Aaron Abigail Ada Adam Adrian Agnes Aiden Akira Alan Albert Alex Alice Alma Amelia Amir Ana
Anders Andrea Andrew Anna Anne Anton Arthur Asha Astrid Aurora Ava Beatrice Ben Bianca Blake
Bram Brooke Bruce Caleb Camille Carl Carmen Cassandra Cecil Celeste Charles Charlotte Chen
Chloe Clara Claude Clint Colin Cora Daisy Dan Dante Daria David Dean Diana Dmitri Dora Edgar
Edith Edmund Elena Eli Elise Eliza Ellen Emil Emma Erik Esme Ethan Eva Evan Ezra Faye Felix
Fiona Finn Frank Freya Gabriel Gemma George Gideon Grace Greta Gus Hana Hannah Harry Hazel
Hector Helen Henry Hermione Hugo Ian Ida Igor Ingrid Irene Isaac Isla Ivan Jack Jade James
Jane Jasper Jean Jiro Joan John Jonah Jose Josie Jude Julia Kai Kara Kate Kenji Kira Kurt
Kyle Lara Laura Leah Leo Levi Lila Lily Lin Lionel Lisa Liam Lucas Lucy Luke Luna Mabel
Maggie Malik Mara Marco Maria Mark Martha Mary Mateo Max Maya Mei Mia Miles Mina Molly Nadia
Naomi Nate Neil Nell Nico Nina Noah Nora Olga Oliver Omar Oscar Otto Paul Pearl Peter
Philippa Pia Quinn Rafael Rahul Remy Rhea Rita Robin Rosa Rose Ruby Ryan Sam Sana Sara Sasha
Scott Selma Seth Shiro Simon Sofia Stella Steve Sylvia Tara Ted Thea Theo Tom Tony Uma Vera
Victor Viktor Vince Wade Walter Wanda Wen Will Xander Yara Yuki Yuri Zack Zara Zoe Sherlock
Watson
"""
)
LAST = _split(
    """
Abbott Adler Akers Alvarez Amari Arden Ashby Baker Banner Barnes Baxter Bell Bennet Black
Blake Bower Brandt Brooks Brown Burke Byrne Cain Calder Carter Castillo Chase Clarke Cole
Collins Cooper Cross Cruz Dale Darcy Davies Day Dean Diaz Dixon Doyle Drake Dunn Ellis Evans
Falk Fischer Fisher Flint Ford Foster Fox Frost Garcia Gates Gray Green Grey Hale Hall Hart
Hayes Holmes Hope Hudson Hughes Hunt Ishida Jackson James Jensen Jones Kane Keller Kent King
Knight Kowalski Lane Lang Larsen Lee Lewis Lloyd Long Lopez Lowe Lynch Marsh Martin Mason
McAllister McBride McCoy McKay Meyer Miller Mills Moreau Morgan Morstan Murphy Nakamura Nash
Novak Nunez Odell Oakley Olsen Ortiz Owens Palmer Park Parker Patel Pierce Porter Price
Quill Quinn Rao Reed Reyes Rhodes Rivers Rogers Rose Ross Russo Ryder Sato Schmidt Scott
Shaw Silva Snow Stark Stone Strange Sullivan Suzuki Swan Tanaka Taylor Thorne Todd Turner
Vale Vance Voss Wagner Walsh Ward Watson Webb West White Wilde Wolfe Wood Wright Yates Young
Zhang Ziegler
"""
)
WORDS = _split(
    """
amber ancient arrow ash autumn bell birch black blade bloom blue bone bright broken brass
candle cedar chain cinder circle cloud coast cold copper coral crimson crown crystal dark
dawn deep desert dream dust ember empire falling fern fire flame forest fox frost garden
gate ghost glass gold golden green grey harbor hawk heart hidden hollow honey iron island
ivory jade king lake last light lily lion lost lunar marble meadow midnight mirror moon
morning moss night north oak ocean orchid pale paper pearl pine plum quiet rain raven red
river rose ruby rust salt sand scarlet shadow shore silent silver sky snow song spring star
stone storm summer sun thorn thunder tide tower twilight velvet violet wild willow wind
winter wolf wood zephyr
"""
)
TROPES = _split_tropes(
    """
Fluff|Angst|Hurt/Comfort|Slow Burn|Alternate
Universe|Fix-It|Friendship|Humor|Romance|Drama|Established Relationship|Enemies to
Lovers|Friends to Lovers|Found Family|Character Study|Post-Canon|Pre-Canon|Canon
Divergence|Smut|Whump|Pining|Mutual Pining|Domestic|Coffee Shops|Soulmates|Time
Travel|Modern Setting|Hogwarts|Office|College|High School|Roommates|Fake Dating|Road
Trip|Secret Identity|Amnesia|Sick Fic|Nightmares|Hand Holding|First Kiss|Getting
Together|Kidfic|Role
Reversal|Genderswap|Magic|Dragons|Vampires|Werewolves|Space|Pirates|Detectives|Mystery|Horror|Tragedy|Poetry|Drabble|Crack|Crossover|Missing
Scene|Episode Tag|Angst with a Happy Ending|Emotional Hurt/Comfort
"""
)
MEDIA_SUFFIXES = [" (TV)", " (Movies)", " - All Media Types", " (Video Game)", " (Anime)", ""]
AUTHORS = ["Austen", "Brontë", "Dickens", "Tolkien", "Le Guin", "Pratchett", "Rowling", "Doyle"]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- data ------------------------------------------------------------------------------------


class Names:
    """Unique (case-insensitively) names, made unique with a number where needed."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, name: str) -> str:
        candidate, number = name, 1
        while candidate.lower() in self.seen:
            number += 1
            candidate = f"{name} {number}"
        self.seen.add(candidate.lower())
        return candidate


def plan_tags(total: int, rng: random.Random):
    """(name, type, canonical, parent index or None) rows; fandoms first, so a row's parent
    index points at an earlier fandom row."""
    names = Names()
    shares = {"fandom": 0.08, "character": 0.22, "relationship": 0.30, "freeform": 0.40}
    canonical_share = {"fandom": 0.4, "character": 0.35, "relationship": 0.25, "freeform": 0.05}
    counts = {kind: int(total * share) for kind, share in shares.items()}
    counts["freeform"] += total - sum(counts.values())
    rows: list[tuple[str, str, bool, int | None]] = []

    for _ in range(counts["fandom"]):
        if rng.random() < 0.3:
            base = (
                f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} - {rng.choice(AUTHORS)}"
            )
        else:
            words = " ".join(w.title() for w in rng.sample(WORDS, rng.choice((1, 2, 2, 3))))
            base = f"{rng.choice(('', '', 'The ', 'A '))}{words}{rng.choice(MEDIA_SUFFIXES)}"
        rows.append((names.add(base), "fandom", rng.random() < canonical_share["fandom"], None))
    canonical_fandoms = [i for i, row in enumerate(rows) if row[2]]
    # Zipf-like: a few fandoms get most children, as on AO3.
    weights = [1 / (rank + 1) for rank in range(len(canonical_fandoms))]
    parents = rng.choices(canonical_fandoms, weights=weights, k=total)
    parent_at = iter(parents)

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    for _ in range(counts["character"]):
        canonical = rng.random() < canonical_share["character"]
        base = person() if rng.random() < 0.8 else rng.choice(FIRST)
        if rng.random() < 0.3:
            base += f" ({rows[next(parent_at)][0].split(' (')[0].split(' - ')[0]})"
        parent = next(parent_at) if canonical or rng.random() < 0.3 else None
        rows.append((names.add(base), "character", canonical, parent))
    for _ in range(counts["relationship"]):
        canonical = rng.random() < canonical_share["relationship"]
        joiner = "/" if rng.random() < 0.75 else " & "
        base = joiner.join(person() for _ in range(rng.choice((2, 2, 2, 3))))
        parent = next(parent_at) if canonical or rng.random() < 0.3 else None
        rows.append((names.add(base), "relationship", canonical, parent))
    for _ in range(counts["freeform"]):
        roll = rng.random()
        if roll < 0.3:
            base = f"{rng.choice(TROPES)} - {rng.choice(WORDS).title()} {rng.choice(WORDS)}"
        elif roll < 0.6:
            base = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()
        else:
            base = f"{rng.choice(TROPES)} {rng.choice(('and', 'with', 'but', 'of'))} " + " ".join(
                rng.choice(WORDS) for _ in range(rng.randint(1, 3))
            )
        rows.append((names.add(base), "freeform", rng.random() < canonical_share["freeform"], None))
    return rows


def load(total: int, seed: int) -> dict:
    """Bulk-insert the tags, their parent links and their words. Returns row counts and the
    names of the fandoms with the most and the fewest children, for the narrowing terms."""
    from django.db import connection, transaction

    from quire.tags.actions import tag_name_tails
    from quire.tags.models import AutocompleteWord, CommonTagging, Tag
    from quire.tags.names import tag_key

    rng = random.Random(seed)
    started = time.perf_counter()
    rows = plan_tags(total, rng)
    log(f"planned {len(rows):,} tags in {time.perf_counter() - started:.1f}s")
    first_id = (Tag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = "2026-01-01 00:00:00+00:00"
    tag_rows = [
        (first_id + i, name, tag_key(name), kind, canonical, None, False, now)
        for i, (name, kind, canonical, _) in enumerate(rows)
    ]
    link_rows = [
        (first_id + parent, first_id + i, now)
        for i, (_, _, _, parent) in enumerate(rows)
        if parent is not None
    ]
    word_rows = [
        (tag_id, tail) for tag_id, _, key, *_ in tag_rows for tail in sorted(tag_name_tails(key))
    ]
    tables = {
        Tag._meta.db_table: (
            "id, name, name_key, type, canonical, merger_id, unwrangleable, created_at",
            tag_rows,
        ),
        CommonTagging._meta.db_table: ("parent_id, child_id, created_at", link_rows),
        AutocompleteWord._meta.db_table: ("tag_id, tail", word_rows),
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, data) in tables.items():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(data[0]))
                for start in range(0, len(data), 50_000):
                    cursor.executemany(
                        f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                        data[start : start + 50_000],
                    )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Tag._meta.db_table}', 'id'), %s)",
                [first_id + len(tag_rows)],
            )
    log(f"inserted in {time.perf_counter() - started:.1f}s")
    children: dict[int, int] = {}
    for parent_id, _, _ in link_rows:
        children[parent_id] = children.get(parent_id, 0) + 1
    by_size = sorted(children, key=lambda pk: (children[pk], pk))
    names_by_id = {tag_id: name for tag_id, name, *_ in tag_rows}
    small = next(pk for pk in by_size if children[pk] >= 3)
    return {
        "tags": len(tag_rows),
        "links": len(link_rows),
        "words": len(word_rows),
        "big_fandom": (names_by_id[by_size[-1]], children[by_size[-1]]),
        "small_fandom": (names_by_id[small], children[small]),
    }


# --- measuring -------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(specs: list[tuple[str, str, str]], repeat: int) -> dict:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    samples: list[float] = []
    per_term = []
    max_queries = 0
    for tag_type, term, fandoms in specs:
        query = {"term": term, **({"fandoms": fandoms} if fandoms else {})}
        url = f"/autocomplete/{tag_type}?{urlencode(query)}"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)  # warm-up, and the query count
        assert response.status_code == 200, (url, response.status_code)
        max_queries = max(max_queries, len(captured))
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        samples += times
        per_term.append((tag_type, term, bool(fandoms), len(response.json()), max(times)))
    floor = []
    for _ in range(repeat * 10):
        started = time.perf_counter()
        client.get("/autocomplete/character?term=")
        floor.append((time.perf_counter() - started) * 1000)
    slowest = sorted(per_term, key=lambda row: -row[-1])[:5]
    return {
        "requests": len(samples),
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "max": max(samples),
        "floor_p50": statistics.median(floor),
        "max_queries": max_queries,
        "slowest": slowest,
    }


def run_backend(args) -> None:
    """In a child process, so each database gets its own settings. SQLite is measured as
    Django leaves it (no statistics) and again after ANALYZE; PostgreSQL after VACUUM
    ANALYZE, as autovacuum leaves it."""
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # The floor requests are refused on purpose; their log lines are noise here.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"{connection.vendor}: migrated in {time.perf_counter() - started:.1f}s")
    counts = load(args.tags, args.seed)
    big, small = counts["big_fandom"][0], counts["small_fandom"][0]
    specs = [(kind, term, "") for kind, term in TERMS]
    specs += [
        (kind, term, big if n % 2 == 0 else small) for n, (kind, term) in enumerate(NARROWED_TERMS)
    ]
    runs = []
    if connection.vendor == "sqlite":
        runs.append(("sqlite", measure(specs, args.repeat)))
    # What autovacuum leaves on PostgreSQL (the visibility map lets the word scan stay
    # index-only); statistics alone on SQLite, where nothing runs ANALYZE on its own.
    statistics_sql = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statistics_sql)
    runs.append((f"{connection.vendor}, after {statistics_sql}", measure(specs, args.repeat)))
    for label, result in runs:
        result.update(counts, vendor=label, terms=len(specs))
        print("RESULT " + json.dumps(result), flush=True)


def child(backend: str, args, env: dict) -> list[dict]:
    command = [sys.executable, __file__, "--child", backend, "--tags", str(args.tags),
               "--repeat", str(args.repeat), "--seed", str(args.seed)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr[-4000:] if done.returncode else done.stderr)
    found = [
        json.loads(line[len("RESULT ") :])
        for line in done.stdout.splitlines()
        if line.startswith("RESULT ")
    ]
    if not found:
        log(f"{backend} run failed:\n{done.stdout[-2000:]}")
    return found


def postgres_database(url: str):
    """A throwaway database on the server of `url`: (its URL, a function that drops it)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"quire_bench_autocomplete_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def report(results: list[dict], args) -> None:
    print()
    print(f"Autocomplete, {args.tags:,} tags, {args.repeat} timed requests per term")
    print()
    print("| database | tags | words | terms | requests | p50 ms | p95 ms | max ms | floor ms "
          "| p50/floor | queries/request |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['vendor']} | {r['tags']:,} | {r['words']:,} | {r['terms']} | {r['requests']} "
            f"| {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.2f} | {r['floor_p50']:.2f} "
            f"| {r['p50'] / r['floor_p50']:.1f}x | <= {r['max_queries']} |"
        )
    print()
    for r in results:
        big, small = r["big_fandom"], r["small_fandom"]
        print(
            f"{r['vendor']}: narrowing fandoms: {big[0]!r} ({big[1]:,} children), "
            f"{small[0]!r} ({small[1]:,}); slowest terms (type, term, narrowed, results, max ms):"
        )
        for tag_type, term, narrowed, found, worst in r["slowest"]:
            print(f"    {tag_type:<12} {term!r:<8} {narrowed!s:<5} {found:>2} {worst:.2f}")
    verdict = all(r["p95"] <= TARGET_MS for r in results)
    print()
    print(f"target: p95 <= {TARGET_MS:.0f} ms at the server: {'met' if verdict else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.child:
        run_backend(args)
        return

    pg_url = os.environ.get("DATABASE_URL")
    data_dir = tempfile.mkdtemp(prefix="quire-bench-autocomplete-")
    (Path(data_dir) / "static").mkdir()  # spares WhiteNoise's warning about a missing dir
    base_env = {
        **os.environ,
        "QUIRE_DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "quire.settings",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    base_env.pop("DATABASE_URL", None)
    results = []
    try:
        log(f"SQLite in {data_dir}")
        results += child("sqlite", args, base_env)
        if pg_url:
            url, drop = postgres_database(pg_url)
            log("PostgreSQL in a throwaway database")
            try:
                results += child("postgresql", args, {**base_env, "DATABASE_URL": url})
            finally:
                drop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if results:
        report(results, args)


if __name__ == "__main__":
    main()
