"""Download file names, the way AO3 makes them (AO3.md §10), so a reader's files keep their
names when an archive moves to Quire."""

import re
import unicodedata

# Letters NFKD does not take apart, spelled the way Rails' transliteration (AO3's) spells them.
_LATIN_EXTRAS = str.maketrans(
    {
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Ø": "O",
        "ø": "o",
        "Œ": "OE",
        "œ": "oe",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Ł": "L",
        "ł": "l",
        "Þ": "TH",
        "þ": "th",
        "\u0131": "i",  # dotless i
    }
)
_ENTITY = re.compile(r"&#?\w+;")
_UNWANTED = re.compile(r"[^\w _-]+", re.ASCII)
MAX_LENGTH = 24


def transliterate(text: str) -> str:
    """ASCII letters for Latin ones ("Café" -> "Cafe"); what has no ASCII spelling (CJK, say)
    is dropped, as AO3 drops it."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRAS))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def clean_name(title: str) -> str:
    """A title cut down to a file name: entities dropped, ASCII only, word characters, spaces,
    _ and -, at most 24 characters cut at a word boundary, spaces made _."""
    name = _UNWANTED.sub("", transliterate(_ENTITY.sub("", title))).strip()
    if len(name) > MAX_LENGTH:
        cut = name.rfind(" ", 0, MAX_LENGTH + 1)
        name = name[: cut if cut > 0 else MAX_LENGTH].strip()
    return re.sub(r" +", "_", name)


def file_name(title: str, object_id: int, *, kind: str = "Work") -> str:
    """The file name without extension: "Work_<id>" when nothing of the title is left, and
    "<name>_Work_<id>" when one or two characters are."""
    name = clean_name(title)
    if not name:
        return f"{kind}_{object_id}"
    if len(name) < 3:
        return f"{name}_{kind}_{object_id}"
    return name


def work_file_name(work) -> str:
    return file_name(work.title, work.pk)


def series_file_name(series) -> str:
    return file_name(series.title, series.pk, kind="Series")
