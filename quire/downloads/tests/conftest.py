import json
import shutil
import subprocess
from pathlib import Path

import pytest

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# A short run: the quick compiler only and the simple collector start about three times faster.
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


@pytest.fixture(autouse=True)
def _private_downloads(settings, tmp_path):
    """Each test's files in its own folder, and a fixed site address for exact links."""
    settings.STORAGES = {
        **settings.STORAGES,
        "downloads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "downloads")},
        },
    }
    settings.SITE_URL = "https://quire.example.org"
    settings.SITE_NAME = "Quire"


def epubcheck(books: dict[str, bytes], tmp_path: Path) -> dict[str, list[str]]:
    """For each named EPUB, every error and warning epubcheck reports (none means valid). The
    checks run side by side: each is a Java start-up of a few seconds."""
    if not EPUBCHECK_JAR.exists() or not shutil.which("java"):
        pytest.skip("epubcheck is not installed (scripts/install-ebook-tools)")
    running = {}
    for name, data in books.items():
        book, report = tmp_path / f"{name}.epub", tmp_path / f"{name}.json"
        book.write_bytes(data)
        command = [*JAVA, "-jar", str(EPUBCHECK_JAR), str(book), "--json", str(report)]
        running[name] = (
            subprocess.Popen(  # noqa: S603
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            ),
            report,
        )
    found = {}
    for name, (process, report) in running.items():
        process.wait(timeout=600)
        messages = json.loads(report.read_text())["messages"]
        found[name] = [
            f"{m['severity']} {m['ID']} {m['message'][:300]} {m['locations'][:1]}"
            for m in messages
            if m["severity"] in ("FATAL", "ERROR", "WARNING")
        ]
    return found
