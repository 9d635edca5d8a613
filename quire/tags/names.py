"""Tag-name rules of AO3.md §2: how a typed tag string becomes a list of names."""

import re

from .models import TAG_NAME_MAX

# Splits on ASCII, fullwidth and ideographic commas.
_SEPARATORS = re.compile("[,\uff0c\u3001]")
FORBIDDEN_CHARACTERS = set(",^*<>{}=`\\%\uff0c\u3001")


def tag_key(name: str) -> str:
    """The case-insensitive identity of a tag name (stored as Tag.name_key)."""
    return name.lower()


def split_tag_names(text: str) -> list[str]:
    """Split a comma-separated tag field, trim, collapse inner white space, drop blanks and
    case-insensitive duplicates (keeping the first spelling)."""
    names: list[str] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text or ""):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def tag_name_errors(name: str) -> list[str]:
    """What is wrong with one tag name, as messages a writer can act on."""
    errors = []
    if len(name) > TAG_NAME_MAX:
        errors.append(f'"{name[:40]}…" is too long (maximum is {TAG_NAME_MAX} characters).')
    bad = sorted(FORBIDDEN_CHARACTERS & set(name))
    if bad:
        errors.append(f'"{name}" contains characters tags can\'t have: {" ".join(bad)}')
    return errors


_URL_ESCAPES = {"/": "*s*", "&": "*a*", ".": "*d*", "?": "*q*", "#": "*h*"}
_URL_UNESCAPES = {value: key for key, value in _URL_ESCAPES.items()}
_UNESCAPE_RE = re.compile(r"\*[sadqh]\*")


def tag_to_url_part(name: str) -> str:
    """AO3's escaping of tag names in URLs, before percent-encoding."""
    return "".join(_URL_ESCAPES.get(char, char) for char in name)


def tag_from_url_part(part: str) -> str:
    return _UNESCAPE_RE.sub(lambda match: _URL_UNESCAPES[match.group(0)], part)
