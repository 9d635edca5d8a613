"""EPUB 3 built in-process: a zip of XHTML pages rendered from the same templates as the HTML
download, an OPF package, a navigation document and an NCX for older readers. Valid under
epubcheck without warnings (tests run it)."""

import html
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from django.template.loader import get_template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from quire.downloads.queries import WorkContent

EXT = "epub"
LABEL = "EPUB"
CONTENT_TYPE = "application/epub+zip"
ZIP_LEVEL = 1
_LANGUAGE_WITH_REGION = re.compile(r"^([a-z]{2,3})([A-Z]{2})$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@dataclass
class Page:
    href: str
    title: str
    body: str

    @property
    def id(self) -> str:
        return "p-" + self.href.removesuffix(".xhtml")


@dataclass
class TocEntry:
    label: str
    href: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass
class Book:
    identifier: str
    title: str
    creators: list[str]
    language: str
    date: str  # YYYY-MM-DD, the last change
    modified: str  # CCYY-MM-DDThh:mm:ssZ
    publisher: str
    source: str
    subjects: list[str]
    description: str
    series: list[dict]  # {"title", "position"}
    pages: list[Page]
    toc: list[TocEntry]
    zip_time: tuple = (1980, 1, 1, 0, 0, 0)


def epub_language(code: str) -> str:
    """AO3's language codes as BCP 47 ("ptBR" -> "pt-BR"); "und" for anything else."""
    match = _LANGUAGE_WITH_REGION.match(code or "")
    if match:
        code = f"{match.group(1)}-{match.group(2)}"
    return code if _LANGUAGE_TAG.match(code or "") else "und"


def plain_text(user_html: str) -> str:
    return " ".join(html.unescape(strip_tags(user_html or "")).split())


def subjects(contents: list[WorkContent]) -> list[str]:
    """ "Fanworks", then every tag, each once, in display order."""
    seen = {"Fanworks": None}
    for content in contents:
        for group in content.tag_groups:
            for tag in group.tags:
                seen.setdefault(tag.name, None)
    return list(seen)


def work_pages(content: WorkContent, *, prefix: str = "") -> tuple[list[Page], list[TocEntry]]:
    """The preface, one page per chapter and the afterword of one work, and their TOC rows."""
    preface = get_template("downloads/_preface.html")
    chapter_template = get_template("downloads/_chapter.html")
    afterword = get_template("downloads/_afterword.html")
    base = {"c": content, "xhtml": True}
    title = content.work.title
    pages = [
        Page(
            f"{prefix}preface.xhtml",
            "Preface",
            preface.render({**base, "endnotes_href": f"{prefix}afterword.xhtml#endnotes"}),
        )
    ]
    for chapter in content.chapters:
        body = chapter_template.render({**base, "chapter": chapter})
        heading = title if content.oneshot else chapter.heading
        pages.append(
            Page(
                f"{prefix}chapter_{chapter.position:03d}.xhtml",
                heading,
                f'<div id="chapters" class="userstuff">{body}</div>',
            )
        )
    pages.append(Page(f"{prefix}afterword.xhtml", "Afterword", afterword.render(base)))
    return pages, [TocEntry(page.title, page.href) for page in pages]


def work_book(content: WorkContent) -> Book:
    work = content.work
    pages, toc = work_pages(content)
    changed = content.last_change
    return Book(
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, content.work_url)}",
        title=work.title,
        creators=content.creator_names,
        language=epub_language(work.language.code),
        date=changed.date().isoformat(),
        modified=work.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        publisher=content.site_name,
        source=content.work_url,
        subjects=subjects([content]),
        description=plain_text(work.summary),
        series=[{"title": p.series.title, "position": p.position} for p in content.series],
        pages=pages,
        toc=toc,
        zip_time=changed.timetuple()[:6],
    )


def render(content: WorkContent) -> bytes:
    return package(work_book(content))


def package(book: Book) -> bytes:
    """The .epub file: mimetype first and stored, then everything else deflated."""
    page_template = get_template("downloads/epub/page.xhtml")
    common = {"lang": book.language, "title": book.title, "identifier": book.identifier}
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:

        def add(name: str, data: str, *, stored: bool = False) -> None:
            info = zipfile.ZipInfo(name, date_time=book.zip_time)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            # Level 1: a fifth of level 6's time on prose, for files about 15% larger.
            archive.writestr(info, data, compresslevel=ZIP_LEVEL)

        add("mimetype", "application/epub+zip", stored=True)
        add("META-INF/container.xml", get_template("downloads/epub/container.xml").render({}))
        add("OEBPS/style.css", get_template("downloads/epub/style.css").render({}))
        add(
            "OEBPS/content.opf",
            get_template("downloads/epub/content.opf").render(
                {
                    **common,
                    "creators": book.creators,
                    "date": book.date,
                    "modified": book.modified,
                    "publisher": book.publisher,
                    "source": book.source,
                    "subjects": book.subjects,
                    "description": book.description,
                    "series": book.series,
                    "pages": book.pages,
                }
            ),
        )
        add(
            "OEBPS/nav.xhtml",
            get_template("downloads/epub/nav.xhtml").render(
                {**common, "toc_html": mark_safe(_nav_list(book.toc))}  # noqa: S308 - escaped
            ),
        )
        add(
            "OEBPS/toc.ncx",
            get_template("downloads/epub/toc.ncx").render(
                {
                    **common,
                    "depth": _depth(book.toc),
                    "navmap_xml": mark_safe(_nav_points(book.toc, {}, [0])),  # noqa: S308 - escaped
                }
            ),
        )
        for page in book.pages:
            add(
                f"OEBPS/{page.href}",
                page_template.render(
                    {
                        "lang": book.language,
                        "page_title": page.title,
                        "body": mark_safe(page.body),  # noqa: S308 - rendered by our templates
                    }
                ),
            )
    return buffer.getvalue()


def _nav_list(entries: list[TocEntry]) -> str:
    rows = []
    for entry in entries:
        inner = _nav_list(entry.children) if entry.children else ""
        rows.append(
            f'<li><a href="{html.escape(entry.href)}">{html.escape(entry.label)}</a>{inner}</li>'
        )
    return "<ol>" + "".join(rows) + "</ol>"


def _nav_points(entries: list[TocEntry], orders: dict[str, int], counter: list[int]) -> str:
    """NCX navPoints; entries with the same target share a playOrder, as the NCX spec says."""
    points = []
    for entry in entries:
        counter[0] += 1
        number = counter[0]
        order = orders.setdefault(entry.href, len(orders) + 1)
        inner = _nav_points(entry.children, orders, counter) if entry.children else ""
        points.append(
            f'<navPoint id="np{number}" playOrder="{order}"><navLabel><text>'
            f"{html.escape(entry.label)}</text></navLabel>"
            f'<content src="{html.escape(entry.href)}"/>{inner}</navPoint>\n'
        )
    return "".join(points)


def _depth(entries: list[TocEntry]) -> int:
    return 1 + max((_depth(entry.children) for entry in entries if entry.children), default=0)
