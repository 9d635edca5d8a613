"""Hostile bodies: the worst request bodies for the HTML cleaner, timed through the test client.

Builds a throwaway archive (SQLite in a temporary data dir; DATABASE_URL and REDIS_URL are
ignored) with a writer and a work, then posts each body (up to DATA_UPLOAD_MAX_MEMORY_SIZE,
2.5 MB by default) to the form that takes it, as a guest or as the writer, and prints the
status and the wall time of each. Budget: every body answered within 1 s. For scale it also
times nh3 alone on deep nesting, which the nesting check now refuses before any parse.

Run: `.venv/bin/python bench/hostile.py [--repeat 3]`
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="quire-bench-hostile-")
    os.environ.update(
        {"QUIRE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "quire.settings", "DEBUG": "false"}
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        run(args.repeat)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(repeat: int) -> None:
    import django

    django.setup()
    import nh3
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from quire.conftest import client_for
    from quire.lib.sanitize import MAX_NESTING
    from quire.testing import make_user, make_work, work_form_data

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    # No collectstatic here: plain static URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    alice = make_user("alice")
    work = make_work(author=alice)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    writer = client_for(alice)

    def fill(unit: str, size: int) -> str:
        return unit * (size // len(unit))

    def comment(text: str, *, csrf: bool):
        guest = Client(enforce_csrf_checks=csrf)
        data = {"comment[comment_content]": text, "comment[name]": "G", "comment[email]": "g@e.org"}
        return lambda: guest.post(f"/works/{work.pk}/comments", data)

    def posting(**fields):
        return lambda: writer.post("/works/new", work_form_data(alice, **fields))

    deep_800k = fill("<div>", 800_000)
    full = limit - 5_000
    prose = (
        "<p>The rain had <em>stopped</em> by the time the "
        "<a href='https://example.org/'>letters</a> came.</p>\n"
    )
    cases = [
        ("guest comment, <div> x 160,000, no CSRF token", comment(deep_800k, csrf=True)),
        ("guest comment, <div> x 160,000", comment(deep_800k, csrf=False)),
        ("guest comment, <b></b> to the body limit", comment(fill("<b></b>", full), csrf=False)),
        ("guest comment, 10,000 chars of <b></b>", comment(fill("<b></b>", 10_000), csrf=False)),
        ("work text, <div> x 100,000 (500 KB)", posting(content=fill("<div>", 500_000))),
        (
            f"work text, {MAX_NESTING} deep blocks to 500 KB",
            posting(content=fill("<div>" * MAX_NESTING + "x" + "</div>" * MAX_NESTING, 500_000)),
        ),
        ("work text, <b></b> to 500 KB (no text)", posting(content=fill("<b></b>", 500_000))),
        ("work text, <p></p> to the body limit (too long)", posting(content=fill("<p></p>", full))),
        ("summary, <b></b> to the body limit (too long)", posting(summary=fill("<b></b>", full))),
        ("work text, <em>a</em> to 500 KB (valid)", posting(content=fill("<em>a</em> ", 500_000))),
        ("work text, prose with markup to 500 KB (valid)", posting(content=fill(prose, 500_000))),
    ]
    print(f"Body limit (DATA_UPLOAD_MAX_MEMORY_SIZE): {limit:,} bytes; budget {BUDGET:.1f} s\n")
    print(f"{'body':52} {'status':>6} {'median s':>9}  within budget")
    worst = 0.0
    for label, send in cases:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = send()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        worst = max(worst, median)
        verdict = "yes" if median <= BUDGET else "NO"
        print(f"{label:52} {response.status_code:>6} {median:>9.3f}  {verdict}")

    print("\nFor scale, nh3 alone on nesting the check now refuses before parsing:")
    for depth in (5_000, 20_000):
        start = time.perf_counter()
        nh3.clean("<div>" * depth)
        print(f"  nh3.clean('<div>' x {depth:,}): {time.perf_counter() - start:.3f} s")
    print(f"\nSlowest body: {worst:.3f} s ({'within' if worst <= BUDGET else 'OVER'} budget)")


if __name__ == "__main__":
    main()
