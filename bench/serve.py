"""Serving benchmark: the 5,000-word work page against a bare Django page of the same size.

Builds a throwaway archive in a temporary data dir, starts granian exactly as `make serve`
does (WSGI, 2 workers, one blocking thread each) with bench/settings.py, and drives both
pages with wrk from loopback, alternating runs so drift hits both equally. Also counts the
SQL queries of the work pages in-process (cold and warm fragment cache) and reads the peak
RSS of the granian workers. Run: `.venv/bin/python bench/serve.py` (see bench/README.md).
"""

import contextlib
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python")

WORKERS = 2
WRK_THREADS = 2
WRK_CONNECTIONS = 20
WARMUP_SECONDS = 3
RUN_SECONDS = 10
# a, b, b, a, a, b: each page gets early, middle and late slots.
ORDER = ("work", "bare", "reader", "bare", "work", "reader", "work", "bare", "reader")
SEED_WORKS = 2000
FALLBACK_WORKS = 200
ONESHOT_WORDS = 5000

TARGET_RATIO = 0.85
TARGET_QUERIES = 12
TARGET_RSS_MB = 150


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- setup ----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("installing wrk with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False, timeout=300).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, timeout=300)
        subprocess.run(install, env=env, check=True, timeout=300)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed and apt-get could not install it")
    return found


def manage(*args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        check=check,
        timeout=timeout,
        capture_output=True,
        text=True,
    )


_WORDS = [
    "the", "a", "her", "his", "their", "morning", "evening", "garden", "letter", "window",
    "river", "road", "lamp", "house", "tea", "quiet", "slow", "bright", "cold", "warm", "old",
    "small", "green", "grey", "distant", "gentle", "careful", "patient", "walked", "turned",
    "waited", "listened", "wrote", "read", "smiled", "watched", "remembered", "folded",
    "carried", "opened", "closed", "followed", "found", "kept", "left", "asked", "answered",
    "and", "but", "then", "while", "because", "after", "before", "under", "over", "beside",
    "through", "across", "toward", "rain", "light", "wind", "bread", "door", "stair", "field",
    "hill", "village", "sister", "brother", "friend", "neighbour", "book", "page", "ink",
    "candle", "clock",
]  # fmt: skip


def prose(words: int, *, seed: int) -> str:
    """Benign generated paragraphs totalling `words` words, as chapter HTML."""
    rng = random.Random(seed)
    paragraphs, written = [], 0
    while written < words:
        sentences = []
        for _ in range(rng.randint(4, 8)):
            length = min(rng.randint(8, 18), words - written)
            if length <= 0:
                break
            chosen = [rng.choice(_WORDS) for _ in range(length)]
            sentences.append(" ".join(chosen).capitalize() + ".")
            written += length
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    return "\n".join(paragraphs)


def populate() -> str:
    """Fill the archive with demo works; returns how it was done."""
    help_run = manage("help", "seed_demo", check=False, timeout=120)
    command = ("seed_demo", "--works", str(SEED_WORKS), "--seed", "1")
    if help_run.returncode == 0:
        seeded = manage(*command, check=False)
        if seeded.returncode == 0:
            return " ".join(command)
        log(f"{' '.join(command)} failed; falling back:\n{seeded.stderr[-2000:]}")
    from quire.testing import make_user, make_work

    rng = random.Random(1)
    writers = [make_user(f"writer{n}") for n in range(10)]
    fandoms = [f"Bench Fandom {n}" for n in range(15)]
    for n in range(FALLBACK_WORKS):
        make_work(
            author=rng.choice(writers),
            title=f"Demo Work {n}",
            fandoms=(rng.choice(fandoms),),
            characters=tuple(f"Character {rng.randint(0, 60)}" for _ in range(rng.randint(0, 3))),
            freeforms=tuple(f"Trope {rng.randint(0, 40)}" for _ in range(rng.randint(0, 4))),
            text=prose(rng.randint(300, 2000), seed=n),
        )
    why = "failed" if help_run.returncode == 0 else "not available"
    return f"seed_demo {why}; {FALLBACK_WORKS} works via quire.testing.make_work"


@dataclass
class BenchWorks:
    oneshot_id: int
    oneshot_words: int
    long_id: int
    long_first_chapter_id: int
    long_tags: int
    reader_cookie: str


def make_bench_works() -> BenchWorks:
    from quire.testing import make_user, make_work

    writer = make_user("benchwriter")
    oneshot = make_work(
        author=writer,
        title="The Long Afternoon",
        summary="<p>A quiet day, at length.</p>",
        fandoms=("Pride and Prejudice - Jane Austen",),
        characters=("Elizabeth Bennet", "Jane Bennet"),
        freeforms=("Slice of Life",),
        text=prose(ONESHOT_WORDS, seed=5000),
    )
    assert oneshot.posted and oneshot.is_oneshot and not oneshot.adult
    # 3 fixed tags (rating, warning, category) + 17 user tags = 20.
    long_work = make_work(
        author=writer,
        title="Fifty Chapters",
        chapters=50,
        fandoms=("Bench Fandom A", "Bench Fandom B", "Bench Fandom C"),
        relationships=tuple(f"Person {n} & Person {n + 1}" for n in range(4)),
        characters=tuple(f"Person {n}" for n in range(5)),
        freeforms=tuple(f"Bench Trope {n}" for n in range(5)),
        text=prose(400, seed=50),
    )
    first = long_work.chapters.order_by("position").first()
    # A logged-in reader's requests skip the guest page cache: measured too, for honesty.
    from django.conf import settings
    from django.test import Client

    reader = Client()
    reader.force_login(make_user("benchreader"))
    return BenchWorks(
        reader_cookie=f"{settings.SESSION_COOKIE_NAME}={reader.cookies[settings.SESSION_COOKIE_NAME].value}",
        oneshot_id=oneshot.pk,
        oneshot_words=oneshot.word_count,
        long_id=long_work.pk,
        long_first_chapter_id=first.pk,
        long_tags=long_work.taggings.count(),
    )


def count_queries(paths: list[tuple[str, str]], cookie: str = "") -> list[tuple[str, int, int]]:
    """(label, cold, warm) SQL query counts for each GET, through the test Client; with a
    session cookie the requests are a logged-in reader's."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    rows = []
    for label, url in paths:
        counts = []
        cache.clear()
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"GET {url} answered {response.status_code}")
            counts.append(len(ctx.captured_queries))
        rows.append((label, counts[0], counts[1]))
    return rows


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:  # loopback only
        return response.status, response.read(), dict(response.headers)


@contextlib.contextmanager
def granian(port: int, log_path: Path):
    """The `make serve` command line, on loopback; stopped within ~15 s whatever happens."""
    command = [
        str(BIN / "granian"),
        "--interface", "wsgi",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--workers", str(WORKERS),
        "--blocking-threads", "1",
        "--no-ws",
        "quire.wsgi:application",
    ]  # fmt: skip
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    children = descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log("granian did not stop on SIGINT; killing its process group")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_ready(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"granian exited early:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if fetch(url)[0] == 200:
                return
        time.sleep(0.2)
    sys.exit(f"granian not ready after {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


def descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


# --- wrk ------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: str


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(binary: str, url: str, seconds: int, cookie: str = "") -> WrkResult:
    command = [
        binary,
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout", "5s",
        "--latency",
        url,
    ]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = [
        line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line
    ]
    return WrkResult(rps, p50, p99, "; ".join(errors))


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    started = time.monotonic()
    load_before = os.getloadavg()
    data_dir = Path(tempfile.mkdtemp(prefix="quire-bench-"))
    size_file = data_dir / "bare_size"
    # A fresh SQLite archive and local-memory cache, whatever the calling shell points at.
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
        os.environ.pop(name, None)
    os.environ.update(
        QUIRE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        BENCH_BARE_SIZE_FILE=str(size_file),
    )
    sys.path.insert(0, str(ROOT))
    try:
        wrk_binary = ensure_wrk()
        log(f"data dir {data_dir}; migrate, collectstatic")
        manage("migrate", "--noinput", "-v0")
        manage("collectstatic", "--noinput", "-v0")

        import django

        django.setup()
        from django.db import connections

        log("populating the archive")
        how = populate()
        works = make_bench_works()
        log(f"populated ({how}) in {time.monotonic() - started:.0f} s")

        oneshot_url = f"/works/{works.oneshot_id}"
        long_url = f"/works/{works.long_id}"
        size_file.write_text("1000")  # the bare view's size, for its query count only
        pages = [
            (f"one-shot, {works.oneshot_words:,} words  {oneshot_url}", oneshot_url),
            (
                f"50 chapters, {works.long_tags} tags, entire work",
                f"{long_url}?view_full_work=true",
            ),
            (
                f"50 chapters, {works.long_tags} tags, chapter 1",
                f"{long_url}/chapters/{works.long_first_chapter_id}",
            ),
        ]
        queries = count_queries([*pages, ("bare view  /bench/bare (reference)", "/bench/bare")])
        reader_queries = count_queries(pages, works.reader_cookie)
        size_file.unlink()
        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        urls = {
            "work": base + oneshot_url,
            "bare": base + "/bench/bare",
            "reader": base + oneshot_url,
        }
        cookies = {"reader": works.reader_cookie}
        with granian(port, data_dir / "granian.log") as proc:
            wait_ready(urls["work"], proc, data_dir / "granian.log")
            _, work_body, work_headers = fetch(urls["work"])
            size_file.write_text(str(len(work_body)))
            _, bare_body, bare_headers = fetch(urls["bare"])
            if len(bare_body) != len(work_body):
                sys.exit(f"bare page is {len(bare_body)} bytes, work page {len(work_body)}")
            log(f"both pages {len(work_body):,} bytes; warming up")
            for url in urls.values():
                wrk(wrk_binary, url, WARMUP_SECONDS)
            wrk(wrk_binary, urls["reader"], WARMUP_SECONDS, cookies["reader"])
            results: dict[str, list[WrkResult]] = {"work": [], "bare": [], "reader": []}
            for name in ORDER:
                result = wrk(wrk_binary, urls[name], RUN_SECONDS, cookies.get(name, ""))
                log(
                    f"{name}: {result.rps:8.1f} req/s  p50 {result.p50_ms:.2f} ms  "
                    f"p99 {result.p99_ms:.2f} ms  {result.errors}"
                )
                results[name].append(result)
            workers = [
                (pid, memory_kb(pid))
                for pid in descendants(proc.pid)
                if Path(f"/proc/{pid}").exists()
            ]
            main_memory = memory_kb(proc.pid)
            load_after = os.getloadavg()
        print_report(
            how=how,
            size=len(work_body),
            oneshot_url=oneshot_url,
            results=results,
            queries=queries,
            reader_queries=reader_queries,
            workers=workers,
            main_memory=main_memory,
            headers={"work": work_headers, "bare": bare_headers},
            load=(load_before, load_after),
        )
        log(f"done in {time.monotonic() - started:.0f} s")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def print_report(
    *, how, size, oneshot_url, results, queries, reader_queries, workers, main_memory, headers, load
):
    def median(name: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in results[name])

    runs = len(results["work"])
    print()
    print(
        f"Quire serving benchmark: granian WSGI, {WORKERS} workers, --blocking-threads 1; "
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{RUN_SECONDS}s, "
        f"median of {runs} alternating runs each"
    )
    print(f"Archive: {how}. Page size: {size:,} bytes (both pages).")
    print(
        f"Machine: {os.cpu_count()} CPUs shared by wrk and the workers; load average "
        f"{load[0][0]:.2f} before, {load[1][0]:.2f} after (other load skews both pages alike)."
    )
    print()
    print(f"{'page':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, label in (
        ("work", f"work page  {oneshot_url} (guest)"),
        ("bare", "bare view  /bench/bare"),
        ("reader", f"work page  {oneshot_url} (reader)"),
    ):
        print(
            f"{label:<34}{median(name, 'rps'):>10.1f}"
            f"{median(name, 'p50_ms'):>10.2f}{median(name, 'p99_ms'):>10.2f}"
        )
    ratio = median("work", "rps") / median("bare", "rps")
    verdict = "ok" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(
        f"{'ratio work / bare (req/s)':<34}{ratio:>10.1%}   target >= {TARGET_RATIO:.0%}: {verdict}"
    )
    reader_ratio = median("reader", "rps") / median("bare", "rps")
    print(
        f"{'ratio reader / bare (req/s)':<34}{reader_ratio:>10.1%}   "
        "(logged in: no guest page cache; not the target)"
    )
    for name in ("work", "bare", "reader"):
        print(f"  {name} runs req/s: " + ", ".join(f"{r.rps:.1f}" for r in results[name]))
        errors = {r.errors for r in results[name] if r.errors}
        if errors:
            print(f"  {name} wrk errors: {'; '.join(errors)}")
    print()
    print(
        f"{'SQL queries per page (guest)':<48}{'cold':>6}{'warm':>6}   target <= {TARGET_QUERIES}"
    )
    for label, cold, warm in queries:
        flag = "" if max(cold, warm) <= TARGET_QUERIES else "  OVER"
        print(f"{label:<48}{cold:>6}{warm:>6}{flag}")
    print(f"{'SQL queries per page (logged-in reader)':<48}{'cold':>6}{'warm':>6}")
    for label, cold, warm in reader_queries:
        flag = "" if max(cold, warm) <= TARGET_QUERIES else "  OVER"
        print(f"{label:<48}{cold:>6}{warm:>6}{flag}")
    print()
    peak = max((mem.get("VmHWM", 0) for _, mem in workers), default=0) / 1024
    verdict = "ok" if peak <= TARGET_RSS_MB else "OVER"
    print(f"Peak RSS (VmHWM) of a granian worker: {peak:.1f} MB", end="")
    print(f"   target <= {TARGET_RSS_MB} MB: {verdict}")
    for pid, mem in workers:
        hwm, rss = mem.get("VmHWM", 0) / 1024, mem.get("VmRSS", 0) / 1024
        print(f"  worker pid {pid}: VmHWM {hwm:.1f} MB, VmRSS {rss:.1f} MB")
    print(f"  main process: VmHWM {main_memory.get('VmHWM', 0) / 1024:.1f} MB")
    print()
    for name in ("work", "bare"):
        shown = {
            k: v
            for k, v in headers[name].items()
            if k.lower()
            in ("vary", "cache-control", "etag", "last-modified", "set-cookie", "content-type")
        }
        print(f"{name} response headers: {shown}")


if __name__ == "__main__":
    main()
