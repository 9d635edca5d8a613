"""Cleaning user text on write: AO3's HTML allowlist (AO3.md §5) and AO3's "add paragraphs".

`sanitize_html` keeps only the allowlisted markup. `format_user_text` is what a form field
holding chapter text, notes, summaries or comments runs: plain line breaks become <br> and
<p>, then the result is sanitized. `strip_html` is for fields that carry no HTML at all.

All three first measure how deep the markup nests (`check_markup`, linear time) and raise
`MarkupTooDeep` past MAX_NESTING: an HTML parser's cost grows with the square of the depth,
so 800 KB of "<div>" would hold a worker for a minute. Forms run `check_markup` as a field
validator, so the person sees the error beside the field with their text kept.
"""

import html
import re
from collections import Counter
from collections.abc import Callable

import nh3
from django.core.exceptions import ValidationError


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

# --- Nesting depth: measured before any parser sees the text ---------------------------------
#
# `markup_depth` reads the markup the way an HTML5 tokenizer does (comments, bogus comments,
# quoted attribute values, raw-text elements) and keeps a model of the parser's stack of
# open elements. The model errs one way only: it may count deeper than the parser goes (then
# sloppy markup is refused and the writer is asked to close their tags), never much shallower
# (then nesting would get past the limit). So it pops an element only where the parser surely
# does: at its own end tag with nothing between that the parser stops at, and at the implied
# closes of common sloppy markup (<p>, <li>, <dt>/<dd>, <option>, table cells and rows) when
# the element is the current one. A formatting element closed by another element's end tag
# stays on the parser's list of active formatting elements and is opened again around later
# text, so it keeps counting until its own end tag. The parser may add a few elements of its
# own (tbody and tr in a table), so its real depth stays within a small multiple of this one;
# tests check the model against a full HTML5 parser.

# Prose nests a handful of elements, a work skin's layout a few dozen. nh3 takes 4 s on
# 20,000 levels and 50 s on 160,000; within this limit, about 0.1 s on 500 KB of markup
# (bench/hostile.py).
MAX_NESTING = 100

_SPACE = "\t\n\f\r "
# A tag: its name, then attributes as the tokenizer reads them (a quote opens a value only
# right after "=", and an unclosed one runs to the end), then ">" or the end of the text.
_ATTRIBUTE_NAME = f"(?:=[^{_SPACE}/>=]*|[^{_SPACE}/>=]+)"
_ATTRIBUTE_VALUE = (
    f"[{_SPACE}]*=[{_SPACE}]*"
    f"""(?:"[^"]*(?:"|\\Z)|'[^']*(?:'|\\Z)|[^{_SPACE}>]*)"""
)
# One token: a comment, a tag (lower case: the text is lowered first), or a bogus comment
# (<!DOCTYPE>, <?...>, </ followed by no letter). A "<" that starts none of them is text.
_TOKEN = re.compile(
    "<!--(?:-?>|.*?--!?>|.*\\Z)"
    f"|<(/?)([a-z][^{_SPACE}/>]*)((?:[{_SPACE}/]+|{_ATTRIBUTE_NAME}(?:{_ATTRIBUTE_VALUE})?)*+)"
    "(?:>|\\Z)"
    "|<[!?/][^>]*(?:>|\\Z)",
    re.DOTALL,
)

_VOID_ELEMENTS = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param "
    "source track wbr"
)
# Never pushed: the parser merges them into the document's own.
_MERGED = _names("html head body frameset")
# Their content is text up to their end tag. (noscript and plaintext may be too; reading
# them as markup can only count deeper.)
_RAW_TEXT_END = {
    name: re.compile(f"</{name}[{_SPACE}/>]", re.IGNORECASE)
    for name in _names("script style xmp iframe noembed noframes textarea title")
}
# SVG and MathML follow other rules (no void elements, self-closing tags, HTML tags that
# end them), and so does a template's content. None survives sanitizing, so past one of
# them every start tag simply counts.
_FOREIGN = _names("svg math template")
_FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
# The parser's "special" elements: the end tag of an ordinary element stops at them.
_SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li "
    "link listing main marquee menu meta nav noembed noframes noscript object ol p param "
    "plaintext pre script search section select source style summary table tbody td template "
    "textarea tfoot th thead title tr track ul wbr xmp"
)
# Elements whose end tag closes them when in scope, whatever is above; any other element's
# end tag stops at a special element.
_CLOSED_IN_SCOPE = _names(
    "address article aside blockquote button center details dialog dir div dl fieldset "
    "figcaption figure footer header hgroup listing main menu nav ol pre search section "
    "summary ul p li dd dt h1 h2 h3 h4 h5 h6 applet marquee object select table"
)
# Where the parser's "in scope" checks stop (with button, ol and ul of the narrower scopes).
# select too: inside one the parser ignores every other end tag.
_SCOPE = _names("applet caption html table td th marquee object template button ol ul select")
# Ignored by the parser outside a table; inside one, closed only when current (the model
# does not follow table modes).
_TABLE_PARTS = _names("caption col colgroup tbody td tfoot th thead tr")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
_CLOSED_WHEN_CURRENT = _TABLE_PARTS | _HEADINGS | {"form", "template"}
_IMPLIED_IN_TABLE = {
    "td": ("tbody", "tr"),
    "th": ("tbody", "tr"),
    "tr": ("tbody",),
    "col": ("colgroup",),
}
_IMPLIED_PARENTS = {
    "tbody": _names("table"),
    "tr": _names("tbody thead tfoot"),
    "colgroup": _names("table"),
}
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer header hgroup main menu nav ol p section summary ul h1 h2 h3 h4 h5 h6 pre "
    "listing form hr xmp"
)
# Start tags before which the parser does not reopen orphaned formatting elements.
_NO_RECONSTRUCT = _CLOSES_P | _names("li dd dt table plaintext textarea")
_P = _names("p")
_TR = _names("tr")
# A start tag that closes the current element when the current element is one of these.
_CLOSES_CURRENT = {
    "li": _names("li"),
    "dt": _names("dd dt"),
    "dd": _names("dd dt"),
    "option": _names("option"),
    "optgroup": _names("option optgroup"),
    "td": _names("td th"),
    "th": _names("td th"),
    "tr": _names("td th"),
    **{f"h{level}": _names("h1 h2 h3 h4 h5 h6") for level in range(1, 7)},
}


class MarkupTooDeep(ValidationError):
    """Markup nested past MAX_NESTING. A ValidationError, so a form shows it on its field."""

    def __init__(self) -> None:
        super().__init__(
            f"The HTML is nested more than {MAX_NESTING} elements deep. Please close your "
            "tags (each <div>, <p>, <em> and so on needs its </div>, </p>, </em>) and try "
            "again.",
            code="markup_too_deep",
        )


class _OpenElements:
    """The model of the parser's stack, with O(1) answers to "is a special (or a scope)
    element above this one" and "where is the nearest element of this name"."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.keys: list[str] = []  # a formatting element's tag as written (else "")
        self.where: dict[str, list[int]] = {}
        self.special: list[int] = []  # indexes of special elements, bottom to top
        self.scope: list[int] = []  # indexes of scope boundaries
        self.table_scope: list[int] = []  # indexes of tables
        # Formatting elements closed by another element's end tag: the parser keeps them on
        # its list of active formatting elements and opens copies around the next text.
        # At most three identical ones (Noah's Ark); identical here means written alike.
        self.orphans: Counter[str] = Counter()
        self.orphan_names: Counter[str] = Counter()
        self.orphan_count = 0

    def depth(self) -> int:
        return len(self.names) + self.orphan_count

    def push(self, name: str, key: str = "") -> None:
        index = len(self.names)
        self.names.append(name)
        self.keys.append(key)
        self.where.setdefault(name, []).append(index)
        if name in _SPECIAL:
            self.special.append(index)
        if name in _SCOPE:
            self.scope.append(index)
        if name == "table":
            self.table_scope.append(index)

    def _pop(self, *, orphan: bool) -> None:
        index = len(self.names) - 1
        name = self.names.pop()
        key = self.keys.pop()
        self.where[name].pop()
        if self.special and self.special[-1] == index:
            self.special.pop()
        if self.scope and self.scope[-1] == index:
            self.scope.pop()
        if self.table_scope and self.table_scope[-1] == index:
            self.table_scope.pop()
        if orphan and key and self.orphans[key] < 3:
            self.orphans[key] += 1
            self.orphan_names[name] += 1
            self.orphan_count += 1

    def pop_to(self, index: int) -> None:
        """Pop the element at `index` (closed by its own end tag) and all above it (orphaned,
        if they are formatting elements)."""
        while len(self.names) > index + 1:
            self._pop(orphan=True)
        self._pop(orphan=False)

    def close_current(self, names: frozenset[str]) -> None:
        if self.names and self.names[-1] in names:
            self.pop_to(len(self.names) - 1)

    def reconstruct(self) -> None:
        """Open copies of the orphaned formatting elements, as the parser does before text
        and most start tags."""
        for key, count in self.orphans.items():
            for _ in range(count):
                self.push(key.split(" ", 1)[0], key)
        self.orphans.clear()
        self.orphan_names.clear()
        self.orphan_count = 0

    def start_tag(self, name: str, attributes: str) -> None:
        if name in _MERGED:
            return
        if name in _CLOSES_P:
            self.close_current(_P)
        if name in _CLOSES_CURRENT:
            self.close_current(_CLOSES_CURRENT[name])
            if name == "tr":
                self.close_current(_TR)
        if name in _TABLE_PARTS:
            if not self.table_scope:
                return  # ignored outside a table
            # The parser supplies the row group and row a cell needs.
            for implied in _IMPLIED_IN_TABLE.get(name, ()):
                if self.names[-1] in _IMPLIED_PARENTS[implied]:
                    self.push(implied)
        elif self.orphan_count and name not in _NO_RECONSTRUCT:
            self.reconstruct()
        if name in _FORMATTING:
            self.push(name, f"{name} {' '.join(attributes.split())}")
        elif name not in _VOID_ELEMENTS:
            self.push(name)

    def end_tag(self, name: str) -> None:
        if name in _TABLE_PARTS or name in ("form", "template"):
            # </form> takes the form out of the stack and leaves what is above it open;
            # a template holds a fragment of its own. Closed only when current.
            self.close_current(frozenset({name}))
            return
        if name in _HEADINGS:
            # Any heading's end tag closes the nearest heading of any level.
            index = max((self.where[h][-1] for h in _HEADINGS if self.where.get(h)), default=-1)
        else:
            positions = self.where.get(name)
            index = positions[-1] if positions else -1
        if index >= 0:
            # A block's end tag closes it unless a scope boundary is above it (for a table,
            # another table); any other element's, unless a special element is above it.
            if name == "table":
                stops = self.table_scope[:-1]
            elif name in _CLOSED_IN_SCOPE:
                stops = self.scope
            else:
                stops = self.special
            if not stops or stops[-1] <= index:
                self.pop_to(index)
        elif self.orphan_names[name]:
            # The parser drops one of that name from its list.
            key = next(key for key in self.orphans if key.split(" ", 1)[0] == name)
            self.orphans[key] -= 1
            if not self.orphans[key]:
                del self.orphans[key]
            self.orphan_names[name] -= 1
            self.orphan_count -= 1


def markup_depth(text: str, *, stop_past: int | None = None) -> int:
    """How deep an HTML5 parser would nest `text`'s elements, as a model that may overcount
    (see above). Linear in the length of the text; returns early once past `stop_past`."""
    text = text.lower()  # tag names are case-insensitive; positions only index this copy
    stack = _OpenElements()
    names = stack.names
    deepest = 0
    foreign = 0  # start tags counted since an <svg>, <math> or <template>
    position = 0
    while token := _TOKEN.search(text, position):
        if stack.orphan_count and token.start() > position:
            stack.reconstruct()  # text comes first
        position = token.end()
        name = token.group(2)
        if name is None:
            continue  # a comment, a doctype or another bogus comment
        if token.group(1):
            if foreign:
                continue
            if names and names[-1] == name and name not in _CLOSED_WHEN_CURRENT:
                stack.pop_to(len(names) - 1)  # the common case: closing the current element
            else:
                stack.end_tag(name)
            continue
        if foreign or name in _FOREIGN:
            foreign += 1
        elif name in _RAW_TEXT_END and not (name != "script" and stack.where.get("select")):
            # (Inside a select the parser ignores all but <script>, so what follows is
            # markup.)
            found = _RAW_TEXT_END[name].search(text, position)
            position = found.end() if found else len(text)
            continue
        else:
            stack.start_tag(name, token.group(3))
        depth = len(names) + stack.orphan_count + foreign
        if depth > deepest:
            deepest = depth
            if stop_past is not None and deepest > stop_past:
                break
    return max(deepest, stack.depth() + foreign)


def check_markup(text: str) -> None:
    """Raise MarkupTooDeep when `text` nests past MAX_NESTING. Linear time; forms use it as a
    field validator, and every cleaning function here calls it first."""
    if "<" in text and markup_depth(text, stop_past=MAX_NESTING) > MAX_NESTING:
        raise MarkupTooDeep()


def markup_validator(max_length: int | None = None) -> Callable[[str], None]:
    """A form field validator: check_markup, for text within `max_length` (longer text gets
    the field's length error and is never scanned)."""

    def validate(text: str) -> None:
        if max_length is None or len(text) <= max_length:
            check_markup(text)

    return validate


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
    Raises MarkupTooDeep (before any parsing) when the markup nests past MAX_NESTING.
    """
    check_markup(html_text)
    return _sanitize(html_text, allow_class=allow_class)


def _sanitize(html_text: str, *, allow_class: bool) -> str:
    text = _INVALID_CHARS.sub("", html_text)
    return _clean(_CLEANER_WITH_CLASS if allow_class else _CLEANER, text)


def strip_html(text: str) -> str:
    """Plain text for titles and names: tags removed, entities decoded, spaces collapsed.

    The result is plain text, not HTML; templates escape it on output. Raises MarkupTooDeep
    as sanitize_html does.
    """
    check_markup(text)
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

    Idempotent, so saving already-formatted text again changes nothing. Raises MarkupTooDeep
    as sanitize_html does.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    check_markup(text)
    root = _parse(_sanitize(text, allow_class=allow_class))
    _add_paragraphs(root, 0)
    return _sanitize(_serialize(root.children), allow_class=allow_class).strip()
