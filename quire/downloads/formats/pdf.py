"""PDF through WeasyPrint: the HTML download laid out as a book (page size, margins, page
numbers), with one bookmark per chapter plus the preface and the afterword. The layout itself
runs in a child process with a time limit (pdf_layout.py)."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from quire.downloads.formats import html as html_format
from quire.downloads.formats import pdf_layout
from quire.downloads.formats.epub import plain_text, subjects
from quire.downloads.formats.failures import BuildFailed
from quire.downloads.queries import WorkContent

EXT = "pdf"
LABEL = "PDF"
CONTENT_TYPE = "application/pdf"

# The layout runs in a process of its own, for at most DOWNLOAD_BUILD_SECONDS. Isolated (-I):
# the script's folder is not put on sys.path, where html.py would shadow the standard html.
LAYOUT_COMMAND = [sys.executable, "-I", str(Path(pdf_layout.__file__))]


def lay_out(document: str, base_url: str) -> bytes:
    """The PDF of `document`, made by pdf_layout.py in a child process. Raises BuildFailed
    when WeasyPrint fails or takes longer than settings.DOWNLOAD_BUILD_SECONDS."""
    limit = settings.DOWNLOAD_BUILD_SECONDS
    try:
        done = subprocess.run(  # noqa: S603 - our own script, no shell
            [*LAYOUT_COMMAND, base_url],
            input=document.encode(),
            capture_output=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BuildFailed(f"the layout took longer than {limit:g} s") from error
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise BuildFailed(lines[-1] if lines else f"the layout exited with {done.returncode}")
    return done.stdout


def render(content: WorkContent) -> bytes:
    document = html_format.render_text(
        content,
        pdf=True,
        description=plain_text(content.work.summary),
        keywords=subjects([content]),
    )
    return lay_out(document, content.site_url)
