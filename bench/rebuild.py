"""Filter-table benchmark: rebuild_filters over 100,000 works, from scratch and after one
wrangling change that touches many works.

Builds a throwaway archive (SQLite in a temporary data dir; also a throwaway PostgreSQL
database beside DATABASE_URL's when that is set), with AO3-shaped tags drawn the way the demo
seeder draws them, and the demo's wrangling (canon fandoms, characters, popular relationships
and additional tags canonical) plus the moves a wrangler would make next (canons.json's
synonym and metatag pairs) through the real actions. Works and taggings are inserted in bulk,
but every FilterTagging row comes from rebuild_filters. Then it times:

1. rebuild_filters(every work) with the filter table empty;
2. the same again, with nothing to change (a rebuild is idempotent: it should write nothing);
3. one wrangling change through its action (the wrangler's request), then the background task's
   own function, rebuild_pending, over the works it touches.

Run: `.venv/bin/python bench/rebuild.py [--works N]` (see bench/README.md). Target: 100,000
works from scratch in at most 60 s on SQLite.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable).parent / "python")
WORKS = 100_000
TARGET_SECONDS = 60
BUILD_BATCH = 5_000


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the parent: one child process per database, then the report ----------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=WORKS)
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.works)))
        return

    engines = ["sqlite"] + (["postgres"] if os.environ.get("DATABASE_URL") else [])
    results = []
    for engine in engines:
        log(f"{engine}: building {args.works:,} works in a throwaway database")
        child = subprocess.run(
            [PYTHON, __file__, "--child", engine, "--works", str(args.works)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            sys.exit(f"the {engine} run failed (exit {child.returncode})")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report(results)


def report(results: list[dict]) -> None:
    print()
    first = results[0]
    print(
        f"Filter rebuild benchmark: {first['works']:,} works, {first['taggings']:,} taggings, "
        f"{first['tags']:,} tags ({first['canonical']:,} canonical), rebuild_filters batches "
        f"of {first['batch_size']:,}; {os.cpu_count()} CPUs"
    )
    print()
    print(f"{'database':<12}{'step':<52}{'works':>9}{'seconds':>9}{'works/s':>9}")
    for result in results:
        for step in result["steps"]:
            rate = step["works"] / step["seconds"] if step["seconds"] else 0
            print(
                f"{result['label']:<12}{step['name']:<52}{step['works']:>9,}"
                f"{step['seconds']:>9.2f}{rate:>9,.0f}"
            )
        print(
            f"{'':<12}filter rows {result['filter_rows']:,}; the change's request took "
            f"{result['request_ms']:.0f} ms; listing check: {result['check']}"
        )
    print()
    for result in results:
        scratch = result["steps"][0]["seconds"] * WORKS / result["works"]
        scaled = "" if result["works"] == WORKS else f" (scaled from {result['works']:,})"
        if result["engine"] == "sqlite":
            verdict = "ok" if scratch <= TARGET_SECONDS else "OVER"
            target = f"target <= {TARGET_SECONDS} s: {verdict}"
        else:
            target = "the target is SQLite's"
        print(
            f"{result['label']}: {WORKS:,} works from scratch in {scratch:.1f} s{scaled}; {target}"
        )


# --- the child: one database, built, wrangled and timed -------------------------------------


def run_child(engine: str, works: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="quire-bench-rebuild-"))
    os.environ.pop("QUIRE_TASKS_IMMEDIATE", None)  # tasks stay rows; the bench runs them
    os.environ.update(QUIRE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="quire.settings")
    admin_url = database = None
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        admin_url = os.environ["DATABASE_URL"]
        database = f"quire_bench_rebuild_{os.getpid()}"
        _postgres(admin_url, f'CREATE DATABASE "{database}"')
        parts = urlsplit(admin_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        result = measure(engine, works)
        connections.close_all()
        return result
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if database:
            _postgres(admin_url, f'DROP DATABASE IF EXISTS "{database}"')


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def measure(engine: str, works: int) -> dict:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from quire.tags import filters
    from quire.tags.actions import do_add_metatag
    from quire.tags.filters import rebuild_filters, rebuild_pending, works_for_tags
    from quire.tags.models import FilterTagging, MetaTagging, PendingFilterRebuild, Tag
    from quire.works.models import Tagging

    started = time.perf_counter()
    work_ids = build_archive(works)
    log(f"{engine}: {len(work_ids):,} works built in {time.perf_counter() - started:.0f} s")
    wrangle()
    PendingFilterRebuild.objects.all().delete()
    DBTaskResult.objects.all().delete()
    if connection.vendor == "postgresql":
        # What autovacuum would have done after a bulk load like this.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert not FilterTagging.objects.exists()

    steps = []

    def step(name: str, count: int, function) -> None:
        log(f"{engine}: {name}")
        began = time.perf_counter()
        function()
        steps.append({"name": name, "works": count, "seconds": time.perf_counter() - began})

    step("from scratch (filter table empty)", len(work_ids), lambda: rebuild_filters(work_ids))
    filter_rows = FilterTagging.objects.count()
    step("again, nothing changed", len(work_ids), lambda: rebuild_filters(work_ids))
    assert FilterTagging.objects.count() == filter_rows

    # One change a wrangler makes in a request: the most used canonical additional tag goes
    # under the next most used as its metatag. The request only records the change.
    sub, meta = _two_most_used_freeforms()
    began = time.perf_counter()
    do_add_metatag(sub, meta)
    request_ms = (time.perf_counter() - began) * 1000
    touched = len(works_for_tags([sub.pk]))
    step(f'task: "{sub.name}" under "{meta.name}"', touched, rebuild_pending)
    assert not PendingFilterRebuild.objects.exists()

    # The metatag now lists its own works and every work of its subtag (and their synonyms).
    listed = set(FilterTagging.objects.filter(tag=meta).values_list("work_id", flat=True))
    expected = works_for_tags([meta.pk])
    check = "ok" if listed == expected else f"MISMATCH ({len(listed):,} vs {len(expected):,})"
    return {
        "engine": engine,
        "label": {"sqlite": "SQLite", "postgres": "PostgreSQL"}[engine],
        "works": len(work_ids),
        "taggings": Tagging.objects.count(),
        "tags": Tag.objects.count(),
        "canonical": Tag.objects.filter(canonical=True).count(),
        "metatag_links": MetaTagging.objects.count(),
        "batch_size": filters.BATCH_SIZE,
        "filter_rows": filter_rows,
        "request_ms": request_ms,
        "check": check,
        "steps": steps,
    }


def _two_most_used_freeforms():
    from django.db.models import Count

    from quire.tags.models import Tag

    candidates = (
        Tag.objects.filter(type="freeform", canonical=True, meta_links=None, sub_links=None)
        .annotate(uses=Count("taggings"))
        .order_by("-uses", "id")[:2]
    )
    sub, meta = candidates
    return sub, meta


def build_archive(count: int) -> list[int]:
    """`count` posted works with the demo's kind of tags, written in bulk. No filters yet."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from quire.seeding import plan
    from quire.seeding.archive import _TagFinder
    from quire.seeding.canons import build_vocabulary
    from quire.tags.models import FIXED_TAG_TYPES, Tag, TagType
    from quire.works.models import Language, Work

    vocabulary = build_vocabulary(random.Random("quire-demo:1:canons"))
    rng = random.Random("quire-bench-rebuild")
    fixed = {tag.name: tag.pk for tag in Tag.objects.filter(type__in=FIXED_TAG_TYPES)}
    english = Language.objects.get(code="en").pk
    finder = _TagFinder()
    now = timezone.now()
    ids: list[int] = []
    for start in range(0, count, BUILD_BATCH):
        size = min(BUILD_BATCH, count - start)
        when = now - datetime.timedelta(days=1)
        drawn = []
        for _ in range(size):
            # The seeder's own draws (plan.py), without the prose.
            categories = [plan._weighted(rng, plan.CATEGORIES)]
            tag_ids = [fixed[plan._weighted(rng, plan.RATINGS)]]
            tag_ids += [fixed[name] for name in plan._warnings(rng)]
            tag_ids += [fixed[name] for name in categories]
            canons = plan._pick_canons(rng, vocabulary)
            relationships, characters = plan._cast(rng, canons, categories)
            fandoms = [plan._spelling(rng, vocabulary, canon.fandom) for canon in canons]
            fandoms += plan._metatags_beside(rng, vocabulary, fandoms)
            freeforms = plan._freeforms(rng, vocabulary, characters)
            characters = [plan._spelling(rng, vocabulary, name) for name in characters]
            tags = []
            for tag_type, names in (
                (TagType.FANDOM, list(dict.fromkeys(fandoms))),
                (TagType.RELATIONSHIP, relationships),
                (TagType.CHARACTER, list(dict.fromkeys(characters))),
                (TagType.FREEFORM, freeforms),
            ):
                tags += finder.find_or_create(names, tag_type, when)
            drawn.append((tag_ids, tags))
        with transaction.atomic():
            finder.flush()
            rows = Work.objects.bulk_create(
                [
                    Work(
                        title=f"Work {start + index}",
                        language_id=english,
                        posted=True,
                        published_at=when.date(),
                        revised_at=when,
                    )
                    for index in range(size)
                ]
            )
            taggings = [
                (work.pk, tag_id)
                for work, (tag_ids, tags) in zip(rows, drawn, strict=True)
                for tag_id in dict.fromkeys([*tag_ids, *(tag.pk for tag in tags)])
            ]
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO works_tagging (work_id, tag_id) VALUES (%s, %s)", taggings
                )
        ids += [work.pk for work in rows]
        log(f"  {start + size:,} of {count:,} works")
    return ids


def wrangle() -> None:
    """The demo's wrangled state, then the moves its wrangler would make next."""
    from django.utils import timezone

    from quire.seeding.canons import canons_json
    from quire.seeding.wrangling import plan_wrangling, write_wrangling
    from quire.tags.actions import WranglingError, do_add_metatag, do_make_synonym
    from quire.tags.queries import tag_by_name

    write_wrangling(plan_wrangling(), now=timezone.now())
    data = canons_json()
    for alias, target in data["synonyms"]:
        tag, canonical = tag_by_name(alias), tag_by_name(target)
        if tag and canonical and tag.pk != canonical.pk:
            do_make_synonym(tag, canonical)
    for meta, sub in data["metatags"]:
        meta_tag, sub_tag = tag_by_name(meta), tag_by_name(sub)
        if meta_tag and sub_tag:
            try:
                do_add_metatag(sub_tag, meta_tag)
            except WranglingError as error:
                log(f"  skipped {sub} under {meta}: {error}")


if __name__ == "__main__":
    main()
