"""The HTML download: AO3's layout element by element (AO3.md §10), which AO3's readers and
tools (and Quire's importer) expect."""

from django.template.loader import get_template

from quire.downloads.queries import WorkContent

EXT = "html"
LABEL = "HTML"
CONTENT_TYPE = "text/html; charset=utf-8"


def render_text(content: WorkContent, **extra) -> str:
    return get_template("downloads/work_download.html").render({"c": content, **extra})


def render(content: WorkContent) -> bytes:
    return render_text(content).encode("utf-8")
