import json
import shutil
import subprocess
from pathlib import Path

import pytest

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


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


def epubcheck(data: bytes, tmp_path: Path) -> list[dict]:
    """Every message (error, warning, info about usage aside) epubcheck has about this EPUB."""
    if not EPUBCHECK_JAR.exists() or not shutil.which("java"):
        pytest.skip("epubcheck is not installed (scripts/install-ebook-tools)")
    book = tmp_path / "book.epub"
    report = tmp_path / "report.json"
    book.write_bytes(data)
    subprocess.run(  # noqa: S603
        ["java", "-jar", str(EPUBCHECK_JAR), str(book), "--json", str(report)],  # noqa: S607
        capture_output=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(report.read_text())["messages"]
    return [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
