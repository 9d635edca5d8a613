"""Download benchmark: Quire's in-process EPUB build against calibre's `ebook-convert`.

Builds a throwaway archive (SQLite in a temporary data dir; DATABASE_URL and REDIS_URL are
ignored) holding one 30-chapter, ~150,000-word work of generated prose (paragraphs of 40-160
words with some emphasis and links), then, alternating in one run:

- Quire: `quire.downloads.formats.build(work, "epub")` in-process, from a freshly fetched work
  (the database reads, XHTML conversion, templates and zip all counted), with no file cache;
- calibre: `ebook-convert work.html work.epub` on Quire's own HTML download of the same work,
  as AO3 makes its EPUBs (wall time of the process, QT_QPA_PLATFORM=offscreen).

Prints the median of each, the ratio (target: Quire >= 20x faster), and the size of both
files. Needs calibre (scripts/install-ebook-tools).

Run: `.venv/bin/python bench/downloads.py [--chapters 30] [--words 150000] [--repeat 5]`
"""

import argparse
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
TARGET_RATIO = 20.0

_VOCABULARY = """
the a and of to in was her his she he it that with for as on at by had but said not they
from you all were be one this which there so an when their would been into them could out
what up more like no time about only then now over just some very little down before back if
well how than can again know did through eyes hand long where after light never still
thought face night away house door room head looked way made any own here too old under
garden letter window morning river rain evening quiet bridge lantern harbor kettle sparrow
orchard meadow autumn winter summer spring candle music violin ribbon marble island compass
ferry thunder biscuit chapel pocket scarf blanket market sketch archive lighthouse silver
"""
WORDS = _VOCABULARY.split()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prose(rng: random.Random, words: int) -> str:
    """Paragraphs of generated sentences, some words in <em>, now and then a link."""
    paragraphs, written = [], 0
    while written < words:
        size = min(rng.randint(40, 160), words - written)
        sentence_words = []
        for index in range(size):
            word = rng.choice(WORDS)
            if index == 0 or rng.random() < 0.08:
                word = word.capitalize()
            if rng.random() < 0.02:
                word = f"<em>{word}</em>"
            sentence_words.append(word)
            if rng.random() < 0.1:
                sentence_words[-1] += rng.choice([".", ".", ",", "!", "?"])
        if rng.random() < 0.05:
            sentence_words.append('<a href="https://example.org/notes">see the notes</a>')
        paragraphs.append(f"<p>{' '.join(sentence_words)}.</p>")
        written += size
    return "\n".join(paragraphs)


def make_big_work(chapters: int, words: int):
    from quire.testing import chapter_input, make_user, make_work
    from quire.works.actions import do_add_chapter

    rng = random.Random(1)
    per_chapter = words // chapters
    author = make_user("benchwriter")
    work = make_work(
        author=author,
        title="The Long Way Round",
        chapters=1,
        expected_chapters=chapters,
        summary="<p>Thirty chapters of generated prose.</p>",
        notes="<p>Beginning notes.</p>",
        endnotes="<p>End notes.</p>",
        freeforms=("Slow Burn", "Road Trips", "Found Family"),
        characters=("Elizabeth Bennet", "Jane Bennet"),
        text=prose(rng, per_chapter),
    )
    for number in range(2, chapters + 1):
        do_add_chapter(
            work, chapter_input(prose(rng, per_chapter), title=f"Part {number}"), post=True
        )
    work.refresh_from_db()
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", type=int, default=30)
    parser.add_argument("--words", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    calibre = shutil.which("ebook-convert")
    if not calibre:
        sys.exit("calibre's ebook-convert is missing: run scripts/install-ebook-tools")

    data_dir = tempfile.mkdtemp(prefix="quire-bench-downloads-")
    (Path(data_dir) / "static").mkdir()
    os.environ.update(
        {"QUIRE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "quire.settings", "DEBUG": "false"}
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    try:
        run(args, calibre, Path(data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args, calibre: str, data_dir: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from quire.downloads.formats import build
    from quire.works.models import Work

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    work = make_big_work(args.chapters, args.words)
    log(
        f"work {work.pk}: {work.posted_chapter_count} chapters, {work.word_count:,} words "
        f"(made in {time.perf_counter() - started:.1f}s)"
    )
    html_path, calibre_out = data_dir / "work.html", data_dir / "calibre.epub"
    html_path.write_bytes(build(work, "html"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(data_dir)}

    def quire_build() -> bytes:
        fresh = Work.objects.select_related("language").get(pk=work.pk)
        return build(fresh, "epub")

    def calibre_build() -> None:
        subprocess.run(
            [calibre, str(html_path), str(calibre_out)],
            check=True,
            capture_output=True,
            env=env,
        )

    quire_build()  # warm-up: templates compiled, modules loaded
    calibre_build()
    quire_times, calibre_times = [], []
    epub = b""
    for round_number in range(args.repeat):
        order = [("quire", quire_build), ("calibre", calibre_build)]
        if round_number % 2:
            order.reverse()
        for name, step in order:
            began = time.perf_counter()
            result = step()
            elapsed = time.perf_counter() - began
            (quire_times if name == "quire" else calibre_times).append(elapsed)
            if name == "quire":
                epub = result
    quire_median = statistics.median(quire_times)
    calibre_median = statistics.median(calibre_times)
    ratio = calibre_median / quire_median
    load = os.getloadavg()
    print(f"work: {args.chapters} chapters, {work.word_count:,} words")
    print(
        f"Quire in-process EPUB : median {quire_median * 1000:7.1f} ms "
        f"(min {min(quire_times) * 1000:.1f}, max {max(quire_times) * 1000:.1f}), "
        f"{len(epub):,} bytes"
    )
    print(
        f"calibre ebook-convert : median {calibre_median * 1000:7.1f} ms "
        f"(min {min(calibre_times) * 1000:.1f}, max {max(calibre_times) * 1000:.1f}), "
        f"{calibre_out.stat().st_size:,} bytes"
    )
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"ratio: Quire is {ratio:.1f}x faster ({verdict} the {TARGET_RATIO:.0f}x target)")
    print(f"load average afterwards: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
