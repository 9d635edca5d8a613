"""Stored (nh3-sanitized) HTML turned into XHTML that epubcheck accepts without a warning.

The sanitizer's allowlist (AO3.md §5) keeps some HTML 4 that HTML5's XHTML forbids (center,
big, tt, strike, acronym; align, border, summary, width on tables ...), links relative to the
archive, and remote images, which an EPUB may not reference. Paragraph-only text, which is
nearly all of it, has none of these and skips the tree walk entirely.
"""

import re
from html import unescape
from urllib.parse import quote, urljoin

import lxml.html
from lxml import etree

# Characters XML 1.0 forbids (the sanitizer keeps some of them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What makes the tree need looking at: old elements, attributes that may hold what XHTML
# forbids, and links that are not plain absolute URLs. Checked tag by tag (start tags only),
# which is far quicker than one big pattern over every character of the text.
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)([^>]*)>")
_ATTRIBUTE_NAME = re.compile(r"\s([A-Za-z:-]+)\s*=")
_GOOD_HREF = re.compile(r'\shref="(?:https?://|mailto:|ftp://)[^"\s<>]*"')
_OLD_TAGS = frozenset({"center", "big", "tt", "strike", "acronym", "img", "details"})
_SUSPECT_NAMES = """align lang dir width height border type span cite name colspan rowspan scope
summary axis abbr start"""
_SUSPECT_ATTRIBUTES = frozenset(_SUSPECT_NAMES.split())
# Stored HTML is serialized from a tree (quire.lib.sanitize): balanced, attributes quoted.
# XHTML only needs its empty elements closed and named entities XML does not know spelled
# as characters; an XML parse then proves the result well-formed, or the slow path runs.
_VOID = re.compile(r"<(br|hr|col|img|wbr)\b([^<>]*?)\s*/?>", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)\w+;")
_RENAMED = {
    "center": ("div", "text-align: center"),
    "big": ("span", "font-size: larger"),
    "tt": ("span", "font-family: monospace"),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
}
_LANG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_ALIGNS = {"left", "right", "center", "justify"}
_OL_TYPES = {"1", "a", "A", "i", "I"}
_SCOPES = {"row", "col", "rowgroup", "colgroup"}
# Attributes HTML5 made obsolete on these elements; dropped (align becomes a style first).
_OBSOLETE = {
    "table": ("summary", "width", "align", "cellpadding", "cellspacing"),
    "td": ("abbr", "axis", "height", "width", "align"),
    "th": ("abbr", "axis", "height", "width", "align"),
    "col": ("width", "align"),
    "colgroup": ("width", "align"),
    "hr": ("width", "align"),
    "ul": ("type",),
}


def to_xhtml(html: str, *, base_url: str) -> str:
    """The fragment `html` as well-formed XHTML (no namespace prefix: it is pasted inside an
    XHTML document's body). Relative links point at `base_url`; images become links to them."""
    html = _XML_INVALID.sub("", html or "")
    if not html.strip():
        return ""
    needs_fixing = _needs_fixing(html)
    if not needs_fixing:
        fast = _fast_path(html)
        if fast is not None:
            return fast
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    if needs_fixing:
        _fix_tree(root, base_url)
    return _inner_xml(root)


def _needs_fixing(html: str) -> bool:
    for match in _START_TAG.finditer(html):
        name, attributes = match.group(1).lower(), match.group(2)
        if name in _OLD_TAGS:
            return True
        if name == "a" and not _GOOD_HREF.search(attributes):
            return True
        if "=" in attributes and any(
            attribute.lower() in _SUSPECT_ATTRIBUTES
            for attribute in _ATTRIBUTE_NAME.findall(attributes)
        ):
            return True
    return False


def _fast_path(html: str) -> str | None:
    text = _VOID.sub(r"<\1\2/>", html)
    text = _NAMED_ENTITY.sub(lambda match: _xml_char(unescape(match.group(0))), text)
    try:
        etree.fromstring(f"<div>{text}</div>")
    except etree.XMLSyntaxError:
        return None
    return text


def _xml_char(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inner_xml(root) -> str:
    text = etree.tostring(root, method="xml", encoding="unicode")
    # "<div>...</div>" or "<div/>": keep what is inside.
    if text.endswith("/>"):
        return ""
    return text[text.index(">") + 1 : text.rindex("<")]


def _fix_tree(root, base_url: str) -> None:
    ids: set[str] = set()
    fragment_links: list[etree._Element] = []
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag
        if tag in _RENAMED:
            element.tag, style = _RENAMED[tag]
            _add_style(element, style)
        elif tag == "img":
            _replace_image(element, base_url)
            continue
        elif tag == "details" and (len(element) == 0 or element[0].tag != "summary"):
            summary = etree.Element("summary")
            summary.text = "Details"
            summary.tail, element.text = element.text, None
            element.insert(0, summary)
        _fix_attributes(element, base_url, ids, fragment_links)
    for link in fragment_links:
        if link.get("href", "")[1:] not in ids:
            del link.attrib["href"]
    # EPUB's schema wants an href on every a: a bare anchor (a name made id) becomes a span.
    for anchor in root.iter("a"):
        if "href" not in anchor.attrib:
            anchor.tag = "span"
            anchor.attrib.pop("rel", None)


def _fix_attributes(element, base_url: str, ids: set[str], fragment_links: list) -> None:
    attrib = element.attrib
    tag = element.tag
    align = attrib.pop("align", None)
    if align and align.lower() in _ALIGNS and tag not in ("img",):
        _add_style(element, f"text-align: {align.lower()}")
    for name in _OBSOLETE.get(tag, ()):
        attrib.pop(name, None)
    if "lang" in attrib and not _LANG.match(attrib["lang"]):
        del attrib["lang"]
    if "dir" in attrib and attrib["dir"].lower() not in ("ltr", "rtl", "auto"):
        del attrib["dir"]
    if tag == "a":
        name = attrib.pop("name", None)
        if name and re.fullmatch(r"[A-Za-z][\w.-]*", name) and name not in ids:
            attrib["id"] = name
            ids.add(name)
        href = attrib.get("href")
        if href is not None:
            if href.startswith("#"):
                fragment_links.append(element)
            else:
                _set_url(element, "href", href, base_url)
    elif tag in ("blockquote", "q") and "cite" in attrib:
        _set_url(element, "cite", attrib["cite"], base_url)
    elif tag == "table" and "border" in attrib:
        if attrib["border"].strip() in ("", "0"):
            del attrib["border"]
        else:
            attrib["border"] = "1"
    elif tag == "ol":
        if "type" in attrib and attrib["type"] not in _OL_TYPES:
            del attrib["type"]
        if "start" in attrib and not re.fullmatch(r"-?\d+", attrib["start"].strip()):
            del attrib["start"]
    elif tag in ("td", "th"):
        _keep_number(attrib, "colspan", minimum=1)
        _keep_number(attrib, "rowspan", minimum=0)
        if tag == "th" and "scope" in attrib and attrib["scope"] not in _SCOPES:
            del attrib["scope"]
    elif tag in ("col", "colgroup"):
        _keep_number(attrib, "span", minimum=1)
        if tag == "colgroup" and len(element):  # a span, or col elements, not both
            attrib.pop("span", None)


def _keep_number(attrib, name: str, *, minimum: int) -> None:
    value = attrib.get(name)
    if value is None:
        return
    value = value.strip()
    if value.isdigit() and int(value) >= minimum:
        attrib[name] = str(int(value))
    else:
        del attrib[name]


def _set_url(element, name: str, url: str, base_url: str) -> None:
    url = url.strip()
    if not url:
        del element.attrib[name]
        return
    absolute = urljoin(base_url + "/", url)
    # Spaces and other characters a URL may not hold, percent-encoded.
    element.attrib[name] = quote(absolute, safe=":/?#[]@!$&'()*+,;=%~")


def _replace_image(image, base_url: str) -> None:
    """An EPUB may not show images from the web, so an image becomes a link to it (or, inside
    a link already, its alternative text)."""
    alt = (image.get("alt") or "").strip()
    src = (image.get("src") or "").strip()
    inside_link = any(ancestor.tag == "a" for ancestor in image.iterancestors())
    replacement = etree.Element("span" if inside_link or not src else "a")
    replacement.text = f"[{alt or 'image'}]"
    if replacement.tag == "a":
        replacement.set("href", src)
        _set_url(replacement, "href", src, base_url)
    replacement.tail = image.tail
    image.getparent().replace(image, replacement)


def _add_style(element, style: str) -> None:
    if not style:
        return
    current = element.get("style", "").strip().rstrip(";")
    element.set("style", f"{current}; {style}" if current else style)
