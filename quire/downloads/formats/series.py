"""A whole series as one EPUB: a title page for the series, then each work (preface, chapters,
afterword) as a part, numbered as the series numbers them."""

import uuid
from dataclasses import dataclass

from django.template.loader import get_template

from quire.downloads.queries import WorkContent, site_url, work_contents
from quire.works.models import SerialWork

from .epub import Book, Page, TocEntry, epub_language, package, plain_text, subjects, work_pages


@dataclass
class SeriesPart:
    position: int
    content: WorkContent


def render_series(series, works) -> bytes:
    contents = work_contents(works)
    positions = dict(
        SerialWork.objects.filter(series=series, work__in=[w.pk for w in works]).values_list(
            "work_id", "position"
        )
    )
    parts = [SeriesPart(positions.get(c.work.pk, index + 1), c) for index, c in enumerate(contents)]
    series_url = f"{site_url()}/series/{series.pk}"
    creators: dict[str, None] = {}
    for part in parts:
        for name in part.content.creator_names:
            creators.setdefault(name, None)
    title_page = get_template("downloads/_series.html").render(
        {
            "series": series,
            "series_url": series_url,
            "parts": parts,
            "creators": list(creators),
            "site_name": parts[0].content.site_name if parts else "",
            "xhtml": True,
            "c": parts[0].content if parts else None,
        }
    )
    pages = [Page("series.xhtml", series.title, title_page)]
    toc = [TocEntry(series.title, "series.xhtml")]
    for number, part in enumerate(parts, start=1):
        work_page_list, work_toc = work_pages(part.content, prefix=f"w{number:03d}_")
        pages.extend(work_page_list)
        label = f"Part {part.position}: {part.content.work.title}"
        toc.append(TocEntry(label, work_page_list[0].href, work_toc))
    changes = [part.content.last_change for part in parts]
    last = max(changes) if changes else series.updated_at
    modified = max([part.content.work.updated_at for part in parts] or [series.updated_at])
    language = parts[0].content.work.language.code if parts else "und"
    book = Book(
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, series_url)}",
        title=series.title,
        creators=list(creators),
        language=epub_language(language),
        date=last.date().isoformat(),
        modified=modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        publisher=parts[0].content.site_name if parts else "",
        source=series_url,
        subjects=subjects([part.content for part in parts]),
        description=plain_text(series.summary),
        series=[],
        pages=pages,
        toc=toc,
        zip_time=last.timetuple()[:6],
    )
    return package(book)
