"""The flattened plain-text rendering of an AO3 HTML download (samples/*.txt).

Its rules, read off the samples: everything is one line; link texts have their spaces
replaced by underscores ("Archive_of_Our_Own", "Clark_Kent/Lex_Luthor"); the work title is
framed as "****** Title ******" and chapter headings as "***** Chapter 1: Title *****";
labels stay as AO3 wrote them ("Summary", "Notes", "Chapter Notes", "End Notes"); and the
text ends with the afterword "Please drop_by_the_archive_and_comment ...".

Paragraphs are lost, and a field written just before the story text (the work's notes on a
one-shot, a chapter's summary or notes) runs on into that text with nothing to mark where it
stops. The "Words:" the file states settles it when only one such place is in doubt: the
story text is the part at the end holding exactly that many words (AO3's count).
"""

import html
import re

from quire.lib.wordcount import count_words

from .base import (
    LABELS,
    NotAWork,
    ParsedChapter,
    ParsedWork,
    chapter_title,
    decode_text,
    read_stats,
)

NAME = "text download"

_START = "Posted originally on the "
_LABEL = re.compile(
    r"(?:^| )(Ratings?|Archive Warnings?|Categor(?:y|ies)|Fandoms?|Relationships?|Characters?"
    r"|Additional Tags?|Language|Series|Collections|Stats): "
)
_TITLE = re.compile(r"(?:^| )\*{6} (.+?) \*{6}(?: |$)")
_CHAPTER = re.compile(r"(?:^| )\*{5} (.+?) \*{5}(?: |$)")
_BYLINE = re.compile(r"^by (\S+(?:, \S+)*)(?: |$)")
_AFTERWORD = re.compile(
    r"(?:^| )Please drop_by_the_\S+_and_comment to let the \S+ know if you enjoyed their work!",
    re.IGNORECASE,
)
_WORK_NOTES_LINK = re.compile(r"(?:^| )See the end of the work for (?:more_notes|notes)(?: |$)")
_CHAPTER_NOTES_LINK = re.compile(
    r"(?:^| )See the end of the chapter for (?:more_notes|notes)(?: |$)"
)
_SENTENCE_END = (".", "!", "?", '"', "\u201d", "\u2019", ")")


def detect(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_START.encode())


def _names(value: str) -> list[str]:
    return [name.replace("_", " ").strip() for name in value.split(", ") if name.strip("_ ")]


def _paragraph(text: str) -> str:
    text = text.strip()
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


class _Run:
    """A labelled field (`target.field`) with the story text of `chapter` run on after it."""

    def __init__(self, target, field: str, chapter: ParsedChapter, text: str):
        self.target, self.field, self.chapter, self.text = target, field, chapter, text

    def settle(self, split: int | None) -> None:
        """Split after word `split`; None: cannot tell, so everything stays story text."""
        words = self.text.split(" ")
        if split is None:
            head, tail = "", self.text
        else:
            head, tail = " ".join(words[:split]), " ".join(words[split:])
        setattr(self.target, self.field, _paragraph(head))
        self.chapter.content = _paragraph(tail)


def parse(data: bytes) -> ParsedWork:
    text = " ".join(decode_text(data).split())
    if not text.startswith(_START):
        raise NotAWork('does not start with "Posted originally on the ..."')
    title = _TITLE.search(text)
    if title is None:
        raise NotAWork("has no title line (****** Title ******)")
    work = ParsedWork(title=title.group(1).strip(), chapters=[], source_format=NAME)
    _read_preface(text[len(_START) : title.start()], work)

    rest = text[title.end() :]
    if byline := _BYLINE.match(rest):
        work.authors = _names(byline.group(1))
        rest = rest[byline.end() :]
    afterwords = list(_AFTERWORD.finditer(rest))
    if not afterwords:
        raise NotAWork("ends early: its afterword is missing, so the file may be truncated")
    body = rest[: afterwords[-1].start()]

    has_endnotes = _WORK_NOTES_LINK.search(body) is not None
    if has_endnotes:
        cut = body.rfind(" End Notes ")
        if cut >= 0:
            work.endnotes = _paragraph(body[cut + len(" End Notes ") :])
            body = body[:cut]

    markers = list(_CHAPTER.finditer(body))
    runs: list[_Run] = []
    if markers:
        preface = body[: markers[0].start()]
        for field, value in _fields(preface, ("Summary", "Notes"), _WORK_NOTES_LINK):
            setattr(work, field, _paragraph(value))
        for index, marker in enumerate(markers):
            end = markers[index + 1].start() if index + 1 < len(markers) else len(body)
            chapter = ParsedChapter(content="", title=chapter_title(marker.group(1)))
            work.chapters.append(chapter)
            runs += _read_chapter(body[marker.end() : end], chapter)
    else:
        chapter = ParsedChapter(content="")
        work.chapters.append(chapter)
        runs += _split_fields(body, chapter, ("Summary", "Notes"), _WORK_NOTES_LINK, work)
    _settle(runs, work)
    return work


def _read_preface(text: str, work: ParsedWork) -> None:
    labels = list(_LABEL.finditer(text))
    if not labels:
        raise NotAWork("has no tags (no Rating:, Fandom: ... labels)")
    origin = text[: labels[0].start()].strip().rstrip(".")
    site, _, url = origin.partition(" at ")
    work.site_name = site.replace("_", " ").strip()
    # A long URL was wrapped at a slash before the text was flattened: join it again.
    work.source_url = url.replace(" ", "")
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        name, value = label.group(1).lower(), text[label.end() : end].strip()
        field = LABELS.get(name)
        if field is not None:
            getattr(work, field).extend(_names(value))
        elif name == "language":
            work.language = value
        elif name == "stats":
            read_stats(value, work)


def _fields(text: str, labels: tuple[str, ...], notes_link: re.Pattern) -> list[tuple[str, str]]:
    """Labelled fields of a stretch that ends before a chapter marker (nothing runs on)."""
    text = notes_link.sub(" ", text).strip()
    found = []
    pattern = re.compile(rf"(?:^| )({'|'.join(map(re.escape, labels))}) ")
    padded = " " + text + " "
    matches = list(pattern.finditer(padded))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(padded)
        found.append((_FIELD_OF[match.group(1)], padded[match.end() : end].strip()))
    return found


_FIELD_OF = {
    "Summary": "summary",
    "Notes": "notes",
    "Chapter Summary": "summary",
    "Chapter Notes": "notes",
}


def _split_fields(
    text: str,
    chapter: ParsedChapter,
    labels: tuple[str, ...],
    notes_link: re.Pattern,
    owner,
) -> list[_Run]:
    """Fields at the start of `text` (set on `owner`), then the story text of `chapter`."""
    text = text.strip()
    linked = notes_link.search(text)
    if linked is not None:  # "See the end ... for more notes" closes the last field
        head, text = text[: linked.start()], text[linked.end() :].strip()
        for field, value in _fields(head, labels, notes_link):
            setattr(owner, field, _paragraph(value))
        chapter.content = _paragraph(text)
        return []
    matches: list[re.Match[str]] = []
    position = 0
    for label in labels:  # in order, each at most once; the first one opens the text
        match = re.compile(rf"(?:^| )({re.escape(label)}) ").search(text, position)
        if match is None or (not matches and match.start() != 0):
            continue
        matches.append(match)
        position = match.end()
    if not matches:
        chapter.content = _paragraph(text)
        return []
    for index, match in enumerate(matches[:-1]):
        value = text[match.end() : matches[index + 1].start()]
        setattr(owner, _FIELD_OF[match.group(1)], _paragraph(value))
    last = matches[-1]
    return [_Run(owner, _FIELD_OF[last.group(1)], chapter, text[last.end() :].strip())]


def _read_chapter(text: str, chapter: ParsedChapter) -> list[_Run]:
    text = re.sub(r"^Chapter by \S+(?:, \S+)* ", "", text.strip())
    cut = text.rfind(" Chapter End Notes ")
    if cut >= 0:
        chapter.endnotes = _paragraph(text[cut + len(" Chapter End Notes ") :])
        text = text[:cut]
    return _split_fields(
        text, chapter, ("Chapter Summary", "Chapter Notes"), _CHAPTER_NOTES_LINK, chapter
    )


def _settle(runs: list[_Run], work: ParsedWork) -> None:
    """Decide where each run's field stops and the story text starts."""
    if not runs:
        return
    if len(runs) > 1 or work.stated_words is None:
        for run in runs:
            run.settle(None)
        work.notices.append(
            "notes or summaries written just before the story text could not be told apart "
            "from it in the text form; they were kept as story text"
        )
        return
    run = runs[0]
    known = sum(count_words(c.content) for c in work.chapters if c is not run.chapter)
    wanted = work.stated_words - known
    words = run.text.split(" ")
    counts = [count_words(html.escape(word)) for word in words]
    suffix = 0
    candidates = []
    for index in range(len(words), -1, -1):
        if index < len(words):
            suffix += counts[index]
        if suffix == wanted:
            candidates.append(index)
        elif suffix > wanted:
            break
    if not candidates:
        run.settle(None)
        work.notices.append(
            f"the text does not hold the {work.stated_words:,} words the file states, so "
            "the notes could not be told apart from the story text"
        )
        return
    # Prefer a split after a sentence ends; among those, the longest story text.
    sentence = [i for i in candidates if i == 0 or words[i - 1].endswith(_SENTENCE_END)]
    run.settle(min(sentence or candidates))
