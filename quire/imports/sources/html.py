"""AO3's HTML download (AO3.md §10), also the layout inside AO3-style EPUBs (epub.py)."""

import html as htmllib

import lxml.etree
import lxml.html

from .base import (
    LABELS,
    NotAWork,
    ParsedChapter,
    ParsedWork,
    chapter_title,
    decode_text,
    read_stats,
)

NAME = "HTML download"


def detect(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"\xef\xbb\xbf<!doctype", b"<?xml")) and (
        b'id="preface"' in data or b"id='preface'" in data or b"<html" in head
    )


def parse(data: bytes) -> ParsedWork:
    text = decode_text(data)
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        raise NotAWork("is not an HTML document") from None
    return parse_document(doc)


def class_has(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def inner_html(element) -> str:
    """The markup inside an element, its tail excluded."""
    parts = [htmllib.escape(element.text or "", quote=False)]
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            parts.append(htmllib.escape(child.tail or "", quote=False))
            continue
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def _labelled_blockquote(container, label: str) -> str:
    """AO3 writes "<p>Summary</p><blockquote class="userstuff">...": the quote's markup."""
    for p in container.iter("p"):
        if text_of(p) == label:
            quote = p.getnext()
            if quote is not None and quote.tag == "blockquote":
                return inner_html(quote)
    return ""


def _own_labelled_blockquote(container, label: str) -> str:
    """Like _labelled_blockquote, but only among the container's direct children."""
    for p in container:
        if p.tag == "p" and text_of(p) == label:
            quote = p.getnext()
            if quote is not None and quote.tag == "blockquote":
                return inner_html(quote)
    return ""


def parse_document(doc) -> ParsedWork:
    preface = doc.find(".//*[@id='preface']")
    if preface is None:
        raise NotAWork("has no AO3 preface (the part with the title, tags and stats)")
    tags = preface.find(".//dl[@class='tags']")
    if tags is None:
        tags = preface.find(".//dl")
    if tags is None:
        raise NotAWork("has no tag list in its preface")

    heading = preface.find(".//h1")
    title = text_of(heading) if heading is not None else ""
    message = preface.find(".//p[@class='message']")
    if not title and message is not None and message.find("b") is not None:
        title = text_of(message.find("b"))
    work = ParsedWork(title=title, chapters=[], source_format=NAME)

    if message is not None:
        links = message.findall(".//a")
        if links:
            work.site_name = text_of(links[0])
            work.source_url = (links[-1].get("href") or "").strip()

    _read_tags(tags, work)
    byline = preface.find(".//div[@class='byline']")
    if byline is not None:
        work.authors = [text_of(a) for a in byline.iter("a")] or [
            text_of(byline).removeprefix("by ").strip()
        ]
    else:
        # A byline whose class is gone (calibre's EPUB): its links still say rel="author".
        work.authors = [text_of(a) for a in preface.iterfind(".//a[@rel='author']")]
    work.summary = _labelled_blockquote(preface, "Summary")
    work.notes = _labelled_blockquote(preface, "Notes")

    roots = doc.findall(".//*[@id='chapters']")
    if not roots:
        raise NotAWork("has no chapters (no div#chapters)")
    for root in roots:
        _read_chapters(root, work)
    if not work.chapters:
        raise NotAWork("has no chapter text")

    afterword = doc.find(".//*[@id='afterword']")
    if afterword is None:
        raise NotAWork("ends early: its afterword is missing, so the file may be truncated")
    endnotes = afterword.find(".//*[@id='endnotes']")
    if endnotes is not None:
        work.endnotes = _labelled_blockquote(endnotes, "End Notes")
    return work


def _read_tags(dl, work: ParsedWork) -> None:
    label = ""
    for item in dl:
        if item.tag == "dt":
            label = text_of(item).rstrip(":").strip().lower()
            continue
        if item.tag != "dd":
            continue
        field = LABELS.get(label)
        if field is not None:
            links = item.findall(".//a")
            names = [text_of(a) for a in links] if links else text_of(item).split(", ")
            getattr(work, field).extend(name for name in names if name)
        elif label == "language":
            work.language = text_of(item)
        elif label == "stats":
            read_stats(text_of(item), work)


def _read_chapters(root, work: ParsedWork) -> None:
    current: ParsedChapter | None = None
    last = ""
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "h2" and (class_has(child, "toc-heading") or not child.get("class")):
            continue  # a one-shot's title
        kind = _kind(child)
        if kind == "text" and last == "text" and current is not None and not child.get("class"):
            # Text right after text, in a layout read by its structure: calibre split a long
            # chapter over two pages (each chapter of AO3's layout has its own heading).
            current.content = "\n".join(filter(None, [current.content, inner_html(child)]))
            continue
        last = kind or last
        if kind == "meta":
            if (child.get("id") or "").startswith("endnotes") or _own_labelled_blockquote(
                child, "Chapter End Notes"
            ):
                if current is not None:
                    current.endnotes = _own_labelled_blockquote(child, "Chapter End Notes")
                continue
            heading = child.find(".//h2")
            current = ParsedChapter(
                content="",
                title=chapter_title(text_of(heading)) if heading is not None else "",
                summary=_own_labelled_blockquote(child, "Chapter Summary"),
                notes=_own_labelled_blockquote(child, "Chapter Notes"),
            )
            work.chapters.append(current)
        elif kind == "text":
            if current is None or current.content:
                current = ParsedChapter(content="")
                work.chapters.append(current)
            current.content = inner_html(child)


def _kind(child) -> str:
    """ "meta" (a chapter's heading and notes), "text" or "" for a div of div#chapters.

    By AO3's classes (div.meta, div.userstuff); a div without a class (an EPUB whose
    converter renamed them) by its structure: the chapter heading is an h2 of its own, end
    notes have an id, and the text follows a "chapter content" comment when there is one.
    """
    if child.tag != "div":
        return ""
    if class_has(child, "meta"):
        return "meta"
    if class_has(child, "userstuff"):
        return "text"
    if child.get("class"):
        return ""
    if not text_of(child) and child.find(".//img") is None:
        return ""  # what is left of an element split over two pages
    previous = child.getprevious()
    after_comment = (
        previous is not None
        and not isinstance(previous.tag, str)
        and (previous.text or "").strip() == "chapter content"
    )
    if not after_comment and (
        (child.get("id") or "").startswith("endnotes") or child.find("h2") is not None
    ):
        return "meta"
    return "text"
