"""Cleaning user text on write: AO3's HTML allowlist (AO3.md §5) and AO3's "add paragraphs".

`sanitize_html` keeps only the allowlisted markup. `format_user_text` is what a form field
holding chapter text, notes, summaries or comments runs: plain line breaks become <br> and
<p>, then the result is sanitized. `strip_html` is for fields that carry no HTML at all.
"""

import html
import re

import nh3


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- The allowlist (AO3.md §5) ---------------------------------------------------------------

ALLOWED_TAGS = _names(
    "a abbr acronym address b big blockquote br caption center cite code col colgroup "
    "details figcaption figure dd del dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd "
    "li ol p pre q rp rt ruby s samp small span strike strong sub summary sup table tbody "
    "td tfoot th thead tr tt u ul var"
)

# Removed together with everything inside them, not just unwrapped: their content is code,
# or markup meant for another parser, never prose.
DROPPED_WITH_CONTENT = _names(
    "script style iframe math svg noscript noembed noframes plaintext xmp"
)

GLOBAL_ATTRIBUTES = frozenset({"align", "dir", "lang", "title"})

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "col": frozenset({"span", "width"}),
    "colgroup": frozenset({"span", "width"}),
    "details": frozenset({"open"}),
    "hr": frozenset({"align", "width"}),
    "img": frozenset({"align", "alt", "border", "height", "src", "width"}),
    "ol": frozenset({"start", "type"}),
    "ul": frozenset({"type"}),
    "table": frozenset({"border", "summary", "width"}),
    "td": frozenset({"abbr", "axis", "colspan", "height", "rowspan", "width"}),
    "th": frozenset({"abbr", "axis", "colspan", "height", "rowspan", "scope", "width"}),
}

# (element, attribute) -> (allowed schemes, whether a relative URL is allowed).
URL_RULES: dict[tuple[str, str], tuple[frozenset[str], bool]] = {
    ("a", "href"): (frozenset({"http", "https", "mailto", "ftp"}), True),
    ("img", "src"): (frozenset({"http", "https"}), False),
    ("blockquote", "cite"): (frozenset({"http", "https"}), True),
    ("q", "cite"): (frozenset({"http", "https"}), True),
}

# --- sanitize_html ---------------------------------------------------------------------------

# Characters no HTML or XHTML document may hold (downloads are XHTML). Lone surrogates also
# make nh3 raise UnicodeEncodeError; JSON input can carry them.
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Per the URL standard, a browser ignores leading and trailing C0 controls and spaces, and
# tabs and newlines anywhere, so "jav\tascript:" is javascript:. Check the URL as it will.
_URL_EDGE = "".join(map(chr, range(0x21)))
_URL_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")

# AO3's rule for user classes: a letter, then at least one of letter, digit, "_" or "-".
_CLASS_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9_\-]+")

# The HTML parser drops one newline straight after <pre>, and nh3's serializer does not
# write it back, so "<pre>\n\nx" would lose a newline on every save. Write it back here.
_PRE_OPEN_NEWLINE = re.compile(r"(<pre\b[^>]*>)\n")

# Cleaning twice nearly always reaches a fixpoint; see _clean.
_MAX_CLEAN_PASSES = 4


def url_is_allowed(tag: str, attribute: str, url: str) -> bool:
    """Whether `url` may stay in tag@attribute under URL_RULES (True if no rule applies)."""
    rule = URL_RULES.get((tag, attribute))
    if rule is None:
        return True
    schemes, relative_ok = rule
    seen = _URL_TAB_OR_NEWLINE.sub("", url.strip(_URL_EDGE))
    match = _URL_SCHEME.match(seen)
    if match is None:
        return relative_ok
    return match.group(1).lower() in schemes


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 trusts whatever this returns (it does not re-check schemes), so it only ever keeps
    # or narrows a value. nh3 already applies its one global scheme list to href and src,
    # but not to cite, and cannot say "http(s) only" for img@src alone.
    if attribute == "class":
        names = [name for name in value.split() if _CLASS_NAME.fullmatch(name)]
        return " ".join(names) or None
    if not url_is_allowed(tag, attribute, value):
        return None
    return value


def _make_cleaner(*, allow_class: bool) -> nh3.Cleaner:
    everywhere = set(GLOBAL_ATTRIBUTES) | ({"class"} if allow_class else set())
    attributes = {"*": everywhere} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel="nofollow",
        url_schemes=set().union(*(schemes for schemes, _ in URL_RULES.values())),
    )


_CLEANER = _make_cleaner(allow_class=False)
_CLEANER_WITH_CLASS = _make_cleaner(allow_class=True)
_TEXT_ONLY_CLEANER = nh3.Cleaner(
    tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT), attributes={}
)


def _clean(cleaner: nh3.Cleaner, text: str) -> str:
    # One pass is not always a fixpoint: an element nh3 unwraps (object, button, marquee)
    # can leave a <p> inside a <p>, which the next parse splits differently. Stored text is
    # cleaned again whenever a work is edited, so repeat until the output stops changing.
    cleaned = _PRE_OPEN_NEWLINE.sub("\\1\n\n", cleaner.clean(text))
    for _ in range(_MAX_CLEAN_PASSES - 1):
        again = _PRE_OPEN_NEWLINE.sub("\\1\n\n", cleaner.clean(cleaned))
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def sanitize_html(html_text: str, *, allow_class: bool = False) -> str:
    """Keep only AO3's allowlisted elements, attributes and URLs; force rel="nofollow".

    `allow_class` is for chapter text and notes, where work skins style user classes.
    """
    text = _INVALID_CHARS.sub("", html_text)
    return _clean(_CLEANER_WITH_CLASS if allow_class else _CLEANER, text)


def strip_html(text: str) -> str:
    """Plain text for titles and names: tags removed, entities decoded, spaces collapsed.

    The result is plain text, not HTML; templates escape it on output.
    """
    cleaned = _TEXT_ONLY_CLEANER.clean(_INVALID_CHARS.sub("", text))
    return " ".join(html.unescape(cleaned).split())


# --- format_user_text: AO3's "add paragraphs" (lib/paragraph_maker.rb in otwarchive) ---------
#
# The text is sanitized first, so the tree below is built from nh3's well-formed output. In
# the parts of the tree the writer did not already structure, newlines become <br> (one) or a
# paragraph break (a blank line; two blank lines also add an empty-looking <p>&nbsp;</p>),
# two or more <br> in a row become a paragraph break, and loose inline content is wrapped in
# <p>. Text inside <p>, <pre>, lists, tables and headings is left alone, which is also what
# makes the whole thing idempotent.

# Elements that may not sit inside a <p> (the parser closes an open <p> for most of them).
_BLOCK = _names(
    "address blockquote center details div dl dd dt figcaption figure h1 h2 h3 h4 h5 h6 hr "
    "li ol p pre summary table caption col colgroup tbody td tfoot th thead tr ul"
)
# Inline elements that go inside a <p> (unless they contain a block, see _is_phrasing).
_PHRASING = _names(
    "a abbr acronym b big br cite code del dfn em i img ins kbd q rp rt ruby s samp small "
    "span strike strong sub sup tt u var"
)
# Elements whose content is never touched: the writer structured it already, or newlines
# there are literal (pre) or meaningless (lists and tables between their items).
_SKIP = _names(
    "a abbr acronym address dl figure h1 h2 h3 h4 h5 h6 hr img ol p pre ruby rp rt summary "
    "table ul br col"
)
# Whitespace next to these (or at the very start and end of the text) is not a line break.
_ROOT = "#root"
_BREAK = "#break"
_STRIP_AROUND = _BLOCK | {"br", _ROOT, _BREAK}

_VOID = frozenset({"br", "col", "hr", "img"})
_ASCII_SPACE = " \t\n\r\f\v"
# A run of whitespace holding at least one newline. Only ASCII whitespace: a no-break or
# ideographic space at the start of a line is deliberate indentation.
_LINE_BREAKS = re.compile(r"([ \t\r\f\v]*\n[ \t\n\r\f\v]*)")
# Prose is never nested this deep; past it, content is left as it is rather than risk
# Python's recursion limit.
_MAX_DEPTH = 100


class _Element:
    __slots__ = ("attrs", "children", "has_block", "name", "source")

    def __init__(
        self,
        name: str,
        attrs: list[tuple[str, str]] | None = None,
        children: list["_Node"] | None = None,
    ) -> None:
        self.name = name
        self.attrs = attrs or []
        self.children = children if children is not None else []
        # Whether a _BLOCK element is inside; worked out once (see _has_block).
        self.has_block: bool | None = None
        # The element's markup as parsed, kept for elements whose content is never changed
        # (_SKIP), so writing the tree back out need not rebuild it.
        self.source: str | None = None


class _Break:
    """Marks where a paragraph splits; `long` adds a spacer paragraph (3+ newlines or <br>)."""

    __slots__ = ("long",)
    name = _BREAK

    def __init__(self, *, long: bool) -> None:
        self.long = long


_Node = _Element | _Break | str


# nh3's output is regular: every "<" in text is escaped as &lt;, every attribute is written
# name="value" with "&", "<", ">" and the quote escaped, and every tag is lower case. So a
# regular expression reads it back far faster than html.parser, and no stray markup can
# slip through: the result is sanitized again anyway.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)([^>]*)>")
_ATTRIBUTE = re.compile(r'([^\s="]+)(?:="([^"]*)")?')


def _parse(clean_html: str) -> _Element:
    root = _Element(_ROOT)
    open_elements = [root]
    starts = [0]
    position = 0
    for tag in _TAG.finditer(clean_html):
        if tag.start() > position:
            open_elements[-1].children.append(html.unescape(clean_html[position : tag.start()]))
        position = tag.end()
        closing, name, attributes = tag.groups()
        if closing:
            # Well-formed input closes the innermost element; searching is only a guard.
            for depth in range(len(open_elements) - 1, 0, -1):
                if open_elements[depth].name == name:
                    element = open_elements[depth]
                    if name in _SKIP:
                        element.source = clean_html[starts[depth] : tag.end()]
                    if name == "p" and not element.children:
                        _drop_empty_paragraph(element, open_elements[:depth])
                    del open_elements[depth:], starts[depth:]
                    break
            continue
        element = _Element(
            name,
            [(attr, html.unescape(value)) for attr, value in _ATTRIBUTE.findall(attributes)],
        )
        open_elements[-1].children.append(element)
        if name in _VOID:
            element.source = tag.group(0)
        else:
            open_elements.append(element)
            starts.append(tag.start())
    if position < len(clean_html):
        open_elements[-1].children.append(html.unescape(clean_html[position:]))
    return root


def _drop_empty_paragraph(paragraph: _Element, ancestors: list[_Element]) -> None:
    # AO3 drops empty paragraphs. Doing it while parsing, before anything is decided from
    # which elements hold a block, means the next run over the output decides the same way.
    # The <p> still ended a line, so a break takes its place. Inside elements left as they
    # are (_SKIP), it stays: their markup is written back verbatim.
    parent = ancestors[-1]
    last = parent.children[-1] if parent.children else None
    if last is paragraph and not any(ancestor.name in _SKIP for ancestor in ancestors):
        parent.children[-1] = _Break(long=False)


def _serialize(nodes: list[_Node]) -> str:
    # Iterative, because the writer controls nesting depth.
    out: list[str] = []
    pending: list[_Node | tuple[str]] = list(reversed(nodes))
    while pending:
        node = pending.pop()
        if isinstance(node, tuple):
            out.append(node[0])
        elif isinstance(node, str):
            out.append(html.escape(node, quote=False))
        elif isinstance(node, _Element):
            if node.source is not None:
                out.append(node.source)
                continue
            attrs = "".join(f' {name}="{html.escape(value)}"' for name, value in node.attrs)
            out.append(f"<{node.name}{attrs}>")
            if node.name not in _VOID:
                pending.append((f"</{node.name}>",))
                pending.extend(reversed(node.children))
    return "".join(out)


def _has_block(element: _Element) -> bool:
    # Cached: the tree only ever gains <br>, breaks and copies of inline elements, none of
    # which changes the answer. Iterative, because the writer controls nesting depth.
    if element.has_block is None:
        inside: list[_Element] = []
        pending = list(element.children)
        while pending:
            node = pending.pop()
            if isinstance(node, _Element):
                if node.name in _BLOCK:
                    element.has_block = True
                    return True
                inside.append(node)
                pending.extend(node.children)
        for node in [element, *inside]:
            node.has_block = False
    return bool(element.has_block)


def _is_phrasing(node: _Node) -> bool:
    # An inline element holding a block (<em><div>..</div></em>, which the parser allows)
    # cannot go inside a <p>: the next parse would close the <p> at the <div>. It is treated
    # as a container instead, so the result reads back the same.
    if isinstance(node, str):
        return True
    if isinstance(node, _Break):
        return False
    return node.name in _PHRASING and not _has_block(node)


def _split_at_newlines(text: str) -> list[_Node]:
    pieces: list[_Node] = []
    for index, piece in enumerate(_LINE_BREAKS.split(text)):
        if index % 2 == 0:
            if piece:
                pieces.append(piece)
            continue
        newlines = piece.count("\n")
        if newlines == 1:
            pieces.append(_Element("br"))
        else:
            pieces.append(_Break(long=newlines > 2))
    return pieces


def _merge_brs(nodes: list[_Node]) -> list[_Node]:
    merged: list[_Node] = []
    run = 0
    for node in [*nodes, None]:
        if isinstance(node, _Element) and node.name == "br":
            run += 1
            continue
        if run == 1:
            merged.append(_Element("br"))
        elif run > 1:
            merged.append(_Break(long=run > 2))
        run = 0
        if node is not None:
            merged.append(node)
    return merged


def _name(node: _Node) -> str:
    return "#text" if isinstance(node, str) else node.name


def _normalize(parent: str, children: list[_Node], depth: int) -> list[_Node]:
    """Strip whitespace beside block edges, turn newlines into <br>/breaks, merge <br> runs.

    Recurses into inline elements, so a blank line inside <em> also splits the paragraph.
    """
    normalized: list[_Node] = []
    last = len(children) - 1
    for index, child in enumerate(children):
        if isinstance(child, str):
            if (_name(children[index - 1]) if index > 0 else parent) in _STRIP_AROUND:
                child = child.lstrip(_ASCII_SPACE)
            if (_name(children[index + 1]) if index < last else parent) in _STRIP_AROUND:
                child = child.rstrip(_ASCII_SPACE)
            normalized.extend(_split_at_newlines(child))
            continue
        if (
            isinstance(child, _Element)
            and child.name not in _SKIP
            and depth < _MAX_DEPTH
            and _is_phrasing(child)
        ):
            child.children = _normalize(child.name, child.children, depth + 1)
        normalized.append(child)
    return _merge_brs(normalized)


def _split_inline(nodes: list[_Node], depth: int) -> list[list[_Node] | _Break]:
    """Split inline content at its breaks, copying the inline elements a break falls in.

    "<em>a\\n\\nb</em>" comes out as "<em>a</em>", a break, "<em>b</em>", as in AO3.
    """
    segments: list[list[_Node] | _Break] = []
    current: list[_Node] = []
    for node in nodes:
        if isinstance(node, _Break):
            segments += [current, node]
            current = []
        elif (
            isinstance(node, _Element)
            and node.name not in _SKIP
            and node.children
            and depth < _MAX_DEPTH  # _normalize puts no breaks deeper than this
        ):
            parts = _split_inline(node.children, depth + 1)
            if len(parts) == 1:
                current.append(node)
                continue
            for part in parts:
                if isinstance(part, _Break):
                    segments += [current, part]
                    current = []
                elif part:
                    current.append(_Element(node.name, list(node.attrs), part))
        else:
            current.append(node)
    segments.append(current)
    return segments


def _spacer() -> _Element:
    return _Element("p", children=["\xa0"])


def _paragraphs(run: list[_Node], depth: int) -> list[_Node]:
    paragraphs: list[_Node] = []
    for segment in _split_inline(run, depth):
        if isinstance(segment, _Break):
            if segment.long:
                paragraphs.append(_spacer())
        elif any(not isinstance(node, str) or node.strip(_ASCII_SPACE) for node in segment):
            paragraphs.append(_Element("p", children=segment))
    return paragraphs


def _add_paragraphs(container: _Element, depth: int) -> None:
    blocks: list[_Node] = []
    run: list[_Node] = []
    for child in _normalize(container.name, container.children, depth):
        if _is_phrasing(child):
            run.append(child)
            continue
        blocks += _paragraphs(run, depth)
        run = []
        if isinstance(child, _Break):
            if child.long:
                blocks.append(_spacer())
        elif isinstance(child, _Element):
            if child.name not in _SKIP and depth < _MAX_DEPTH:
                _add_paragraphs(child, depth + 1)
            blocks.append(child)
    blocks += _paragraphs(run, depth)
    container.children = _one_per_line(blocks)


def _one_per_line(blocks: list[_Node]) -> list[_Node]:
    # A newline between blocks keeps the stored HTML readable. Only where a neighbour is in
    # _STRIP_AROUND, so the next run strips it again instead of reading it as a line break.
    lined: list[_Node] = []
    for block in blocks:
        if lined and (_name(lined[-1]) in _STRIP_AROUND or _name(block) in _STRIP_AROUND):
            lined.append("\n")
        lined.append(block)
    return lined


def format_user_text(text: str, *, allow_class: bool = False) -> str:
    """Turn the writer's line breaks into <br> and <p> as AO3 does, then sanitize.

    Idempotent, so saving already-formatted text again changes nothing.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    root = _parse(sanitize_html(text, allow_class=allow_class))
    _add_paragraphs(root, 0)
    return sanitize_html(_serialize(root.children), allow_class=allow_class).strip()
