"""Words for full-text search, and the query language readers type.

One tokenizer serves documents, queries and the tests' brute-force oracle, so every database
agrees on what a word is: the index stores each field already split and normalised (SQLite's
FTS5 `ascii` tokenizer then only splits on the spaces; PostgreSQL gets a tsvector literal), and
a query's words go through the same function.

A word is a run of letters, digits and marks, case-folded with accents removed; each Chinese,
Japanese, Korean or Thai character is a word of its own, so phrases of them still match (those
scripts do not put spaces between words).
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

_SINGLE = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}"
_TOKEN = regex.compile(rf"(?V1)[{_SINGLE}]|[[\p{{L}}\p{{N}}\p{{M}}]--[{_SINGLE}]]+")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Longer runs are cut: no language has such words, and PostgreSQL refuses a word of more
# than 2,047 bytes in a tsvector.
MAX_WORD = 100


def tokens(text: str) -> list[str]:
    """The words of `text`, normalised, each at most MAX_WORD characters. Folding can split
    a word ("ǆ" stays one, "ﬁ" too); what matters is that documents and queries are folded
    alike."""
    words: list[str] = []
    for match in _TOKEN.findall(text):
        folded = _fold(match)
        words.extend(word[:MAX_WORD] for word in _TOKEN.findall(folded))
    return words


# --- The query language ------------------------------------------------------------------
# Words are ANDed; "quoted phrases"; OR between two terms; NOT or a leading "-" negates;
# parentheses group. Precedence: NOT, then AND, then OR. A field prefix (title:, creators:,
# tags:, summary:, notes:) limits a term to one field.

FIELDS = ("title", "creators", "summary", "notes", "tags")
FIELD_ALIASES = {"creator": "creators", "author": "creators", "authors": "creators", "tag": "tags"}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase
    field: str | None = None  # None: any field


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Term | Not | And | Or

_LEXEME = regex.compile(
    r"\s*(?:(?P<open>\()|(?P<close>\))|(?P<field>\w+):(?=[^\s)])"
    r'|(?P<phrase>"[^"]*"?)|(?P<word>[^\s()"]+))'
)
# Bounds on what one typed query can ask of the parser and the database: brackets nested
# deeper than MAX_DEPTH are read as if absent (300 "(" once overflowed Python's stack), and
# words past MAX_WORDS are left out (each negated term is a condition of its own, and SQLite
# refuses an expression more than 1,000 deep).
MAX_DEPTH = 20
MAX_WORDS = 100


@dataclass
class _Lexer:
    items: list[tuple[str, str]] = field(default_factory=list)
    position: int = 0
    words: int = 0  # words taken into terms so far
    problems: list[str] = field(default_factory=list)

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.items[self.position]
        self.position += 1
        return item

    def note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _lex(text: str) -> _Lexer:
    """The query's lexemes, with brackets nested past MAX_DEPTH dropped (and the closing
    brackets that match them), so the parser's recursion is bounded."""
    lexer = _Lexer()
    depth = dropped = 0
    for match in _LEXEME.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        if kind == "open":
            if depth >= MAX_DEPTH:
                dropped += 1
                lexer.note(f"brackets nested more than {MAX_DEPTH} deep were left out.")
                continue
            depth += 1
        elif kind == "close":
            if dropped:
                dropped -= 1
                continue
            depth = max(depth - 1, 0)
        lexer.items.append((kind, match.group(kind)))
    return lexer


def parse_query(
    text: str, *, field: str | None = None, problems: list[str] | None = None
) -> Node | None:
    """The tree of a typed query, or None when it has no words. Never raises: stray quotes and
    unbalanced parentheses are read as well as they can be. What had to be left out (deep
    brackets, words past MAX_WORDS) is described in `problems`, when given."""
    lexer = _lex(text or "")
    nodes = []
    while lexer.peek() is not None:
        node = _parse_or(lexer, field)
        if node is not None:
            nodes.append(node)
        elif lexer.peek() is not None:
            lexer.take()  # a stray ")" or operator
    if problems is not None:
        problems.extend(lexer.problems)
    return _join(And, nodes)


def _join(kind: type[And] | type[Or], nodes: Sequence[Node | None]) -> Node | None:
    present = [node for node in nodes if node is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else kind(tuple(present))


def _parse_or(lexer: _Lexer, field: str | None) -> Node | None:
    nodes = [_parse_and(lexer, field)]
    while (item := lexer.peek()) is not None and item == ("word", "OR"):
        lexer.take()
        nodes.append(_parse_and(lexer, field))
    return _join(Or, nodes)


def _parse_and(lexer: _Lexer, field: str | None) -> Node | None:
    nodes = []
    while (item := lexer.peek()) is not None and item[0] != "close" and item != ("word", "OR"):
        if item == ("word", "AND"):
            lexer.take()
            continue
        nodes.append(_parse_unary(lexer, field))
    return _join(And, nodes)


def _parse_unary(lexer: _Lexer, field: str | None) -> Node | None:
    # A run of NOTs is read in a loop (NOT NOT a is a): a thousand of them must not recurse.
    negations = 0
    while lexer.peek() == ("word", "NOT"):
        lexer.take()
        negations += 1
    if negations:
        child = _parse_unary(lexer, field) if lexer.peek() is not None else None
        return _negated(child, negations)
    item = lexer.peek()
    if item is None:  # callers stop at the end of the input; this is for the type checker
        return None
    kind, value = item
    if (kind, value) == ("word", "-"):  # -(a b), -"a phrase"
        lexer.take()
        child = _parse_atom(lexer, field) if lexer.peek() is not None else None
        return _negated(child, 1)
    if kind == "word" and value.startswith("-") and len(value) > 1:
        lexer.take()
        return _negated(_term(lexer, value[1:], field), 1)
    return _parse_atom(lexer, field)


def _negated(node: Node | None, times: int) -> Node | None:
    if node is None:
        return None
    if isinstance(node, Not):
        node, times = node.child, times + 1
    return Not(node) if times % 2 else node


def _parse_atom(lexer: _Lexer, field: str | None) -> Node | None:
    kind, value = lexer.take()
    # A run of field prefixes (title:creators:x) is read in a loop; the last one counts.
    while kind == "field":
        name = FIELD_ALIASES.get(value.lower(), value.lower())
        if name not in FIELDS or lexer.peek() is None:
            return _term(lexer, value, field)
        field = name
        kind, value = lexer.take()
    if kind == "open":
        node = _parse_or(lexer, field)
        if (item := lexer.peek()) is not None and item[0] == "close":
            lexer.take()
        return node
    if kind == "phrase":
        return _term(lexer, value.strip('"'), field)
    return _term(lexer, value, field)


def _term(lexer: _Lexer, text: str, field: str | None) -> Term | None:
    words = tuple(tokens(text))
    room = MAX_WORDS - lexer.words
    if len(words) > room:
        lexer.note(f"only the first {MAX_WORDS} words were searched for.")
        words = words[: max(room, 0)]
    lexer.words += len(words)
    return Term(words, field) if words else None


def positive_terms(node: Node | None) -> list[Term]:
    """The terms that count towards a match (not under a NOT), for ranking."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        return [node]
    return [term for child in node.children for term in positive_terms(child)]
