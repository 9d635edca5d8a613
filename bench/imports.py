"""Import benchmark: 1,000 generated AO3 HTML downloads through `manage.py import_works`.

Generates the downloads with quire.imports.testing (AO3.md §10 layout; one-shots and works of
up to four chapters, from a paragraph to sixty per chapter, seeded so every run sees the same
files), then imports them into a fresh throwaway archive (SQLite in a temporary data dir; also
a throwaway PostgreSQL database beside DATABASE_URL's when that is set) with the command, and
reports files per second, next to the time spent parsing alone (no database).

Run: `.venv/bin/python bench/imports.py [--files N]`. Target: at least 100 files/s on SQLite.
"""

import argparse
import io
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
FILES = 1_000
TARGET = 100  # files per second on SQLite


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=FILES)
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, args.files)))
        return
    engines = ["sqlite"] + (["postgres"] if os.environ.get("DATABASE_URL") else [])
    results = []
    for engine in engines:
        log(f"{engine}: importing {args.files:,} generated HTML downloads")
        child = subprocess.run(
            [PYTHON, __file__, "--child", engine, "--files", str(args.files)],
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
    first = results[0]
    print()
    print(
        f"Import benchmark: {first['files']:,} generated AO3 HTML downloads "
        f"({first['megabytes']:.1f} MB, {first['chapters']:,} chapters, {first['words']:,} words); "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'database':<12}{'seconds':>9}{'files/s':>9}{'files/CPU-s':>13}{'parse only/s':>14}"
        f"{'load avg':>14}"
    )
    for result in results:
        rate = result["files"] / result["seconds"]
        load = "{:.1f} -> {:.1f}".format(*result["load"])
        print(
            f"{result['label']:<12}{result['seconds']:>9.2f}{rate:>9.0f}"
            f"{result['files'] / result['cpu_seconds']:>13.0f}"
            f"{result['files'] / result['parse_seconds']:>14.0f}{load:>14}"
        )
    print()
    for result in results:
        print(f"{result['label']}: {result['summary']}")
    sqlite = results[0]
    rate = sqlite["files"] / sqlite["seconds"]
    print(
        f"SQLite: {rate:.0f} files/s ({sqlite['files'] / sqlite['cpu_seconds']:.0f} per second "
        f"of this process's CPU); target >= {TARGET}/s: {'ok' if rate >= TARGET else 'UNDER'}"
    )
    print(
        "files/CPU-s counts this process's CPU only (on PostgreSQL the server's is extra); "
        "it is what the machine does when nothing else runs. Compare under a low load average."
    )


def run_child(engine: str, files: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="quire-bench-imports-"))
    os.environ.pop("QUIRE_TASKS_IMMEDIATE", None)
    os.environ.update(QUIRE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="quire.settings")
    admin_url = database = None
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        admin_url = os.environ["DATABASE_URL"]
        database = f"quire_bench_imports_{os.getpid()}"
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
        result = measure(engine, files, data_dir / "downloads")
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


def measure(engine: str, files: int, folder: Path) -> dict:
    from django.core.management import call_command

    from quire.imports.sources import parse_source
    from quire.imports.testing import build_html, random_spec, words_of
    from quire.testing import make_user
    from quire.works.models import Work

    rng = random.Random(1)
    folder.mkdir()
    chapters = words = size = 0
    for number in range(files):
        spec = random_spec(rng, 200_000 + number)
        data = build_html(spec).encode()
        (folder / f"work{number:05}.html").write_bytes(data)
        chapters += len(spec.chapters)
        words += words_of(spec)
        size += len(data)
    make_user("bench")

    began = time.perf_counter()
    for path in sorted(folder.iterdir()):
        parse_source(path.read_bytes())
    parse_seconds = time.perf_counter() - began

    out = io.StringIO()
    load = os.getloadavg()[0]
    began, cpu_began = time.perf_counter(), time.process_time()
    call_command("import_works", str(folder), "--as", "bench", stdout=out)
    seconds = time.perf_counter() - began
    cpu_seconds = time.process_time() - cpu_began
    summary = out.getvalue().strip().splitlines()[-1]
    log(f"{engine}: {summary}")
    assert Work.objects.count() == files, summary
    return {
        "engine": engine,
        "label": {"sqlite": "SQLite", "postgres": "PostgreSQL"}[engine],
        "files": files,
        "chapters": chapters,
        "words": words,
        "megabytes": size / 1e6,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "load": (load, os.getloadavg()[0]),
        "parse_seconds": parse_seconds,
        "summary": summary.split(";")[0],
    }


if __name__ == "__main__":
    main()
