"""The cost of the limit on all requests per address (lib/ratelimit_middleware.py) on SQLite's
database cache: each page asked for with and without the middleware, side by side in one run,
through the test client; prints the queries and the median time per request of each, and the
ratio.

Builds a throwaway archive (SQLite in a temporary data dir; DATABASE_URL and REDIS_URL are
ignored) with a writer and a work. Requests come from a pool of addresses (--addresses), so
some start a window (an insert) and most count in one (an update), as on a live site; the
rate is raised so none is refused. The guest's cached work page is the cheapest page there
is, so it shows the limiter's cost at its largest.

Run: `.venv/bin/python bench/limits.py [--requests 400] [--addresses 50]`
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
LIMITER = "quire.lib.ratelimit_middleware.RequestRateLimitMiddleware"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per page and setting")
    parser.add_argument("--addresses", type=int, default=50)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="quire-bench-limits-")
    os.environ.update(
        {"QUIRE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "quire.settings", "DEBUG": "false"}
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        run(args.requests, args.addresses)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(requests: int, addresses: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from quire.testing import make_user, make_work

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "requests": "100000000/300"}
    work = make_work(author=make_user("alice"), title="Benchmarked")
    pages = {
        "guest work page (cached)": f"/works/{work.pk}",
        "login page": "/users/login",
        "work index": "/works",
    }

    def client(with_limiter: bool) -> Client:
        middleware = [m for m in settings.MIDDLEWARE if with_limiter or m != LIMITER]
        browser = Client()
        # The handler builds its middleware chain on its first request, and keeps it.
        with override_settings(MIDDLEWARE=middleware):
            browser.get("/users/login", REMOTE_ADDR="192.0.2.1")
        return browser

    clients = {"without": client(False), "with": client(True)}
    assert LIMITER in settings.MIDDLEWARE

    print(f"{requests} requests per page and setting, from {addresses} addresses (SQLite)")
    header = f"{'page':28} {'queries':>15} {'ms without':>11} {'ms with':>9} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for name, path in pages.items():
        queries: dict[str, int] = {}
        times: dict[str, list[float]] = {"without": [], "with": []}
        for label, browser in clients.items():
            browser.get(path, REMOTE_ADDR="192.0.2.1")  # warm: the guest page cache fills
            with CaptureQueriesContext(connection) as captured:
                browser.get(path, REMOTE_ADDR="192.0.2.1")
            queries[label] = len(captured.captured_queries)
        for number in range(requests):
            address = f"198.51.{number % addresses // 250}.{number % addresses % 250 + 1}"
            # Alternate, so both settings see the same machine state.
            for label in ("without", "with") if number % 2 else ("with", "without"):
                start = time.perf_counter()
                response = clients[label].get(path, REMOTE_ADDR=address)
                times[label].append(time.perf_counter() - start)
                assert response.status_code == 200, (path, response.status_code)
        without = statistics.median(times["without"]) * 1000
        with_limiter = statistics.median(times["with"]) * 1000
        counted = f"{queries['without']} -> {queries['with']}"
        print(
            f"{name:28} {counted:>15} {without:>11.2f} {with_limiter:>9.2f} "
            f"{with_limiter / without:>6.2f}x"
        )
    # The count alone, without a request around it.
    from quire.lib import limits

    started = time.perf_counter()
    for number in range(requests):
        limits.hit("requests", f"203.0.113.{number % addresses + 1}")
    alone = (time.perf_counter() - started) / requests * 1000
    print(f"{'limits.hit() alone':28} {'':>15} {'':>11} {alone:>9.2f}")


if __name__ == "__main__":
    main()
