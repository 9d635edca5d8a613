"""Hostile values in every GET parameter of every listing, search, comment, feed and tag view
(issue 11): huge, negative and non-numbers, very long strings, unicode, NUL bytes, brackets,
repeated and empty parameters. As a guest and logged in, on both databases, no answer is a
5xx.

The views come from the URLconf: every route is either fuzzed or named below with the reason
it is not, so a new route must be placed. A view's parameters are the names it was seen
reading from request.GET (QueryDict is watched) on ordinary visits, so a parameter added
later is fuzzed without editing this file.
"""

from random import Random
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from quire.accounts.actions import do_block_user, do_mute_user
from quire.conftest import client_for
from quire.news.actions import NewsPostInput, do_create_news_post
from quire.search.actions import do_block_tag, do_save_search
from quire.search.forms import ID_PARAMS, NAME_PARAMS, STAT_PARAMS
from quire.search.views import SEARCH_ONLY_FIELDS, SEARCH_ONLY_LISTS, SIDEBAR_FIELDS
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import Tag, TagType
from quire.tags.names import tag_to_url_part
from quire.testing import make_comment, make_work

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
EXAMPLES = 2  # per viewer, beyond the written-out ones; each visits every fuzzed route once

# Routes not fuzzed, by URL name (or namespace), and why.
NOT_FUZZED = {
    "admin": "Django's admin",
    "account_": "allauth's sign-in, sign-up and e-mail pages",
    "downloads": "a file built per request (seconds each); no GET parameters",
    "backup": "a zip of a creator's works built per request; no GET parameters",
    "imports": "upload forms and their batches, not listings",
    "help-symbols": "a static page",
    "accounts:token-dispenser": "a CSRF token, no parameters",
}
# Writing forms and POST-only actions: no listing, search, comment, feed or tag view.
NOT_LISTINGS = {
    "works:work-new",
    "works:work-edit",
    "works:work-preview",
    "works:work-post",
    "works:work-delete",
    "works:chapter-new",
    "works:chapters-manage",
    "works:chapter-edit",
    "works:chapter-post",
    "works:chapter-delete",
    "works:series-edit",
    "accounts:pseud-new",
    "accounts:pseud-edit",
    "accounts:preferences",
    "accounts:confirm-unblock",
    "accounts:confirm-unmute",
    "invitations:invitation-send",
    "search:blocklist-remove",
    "search:saved-search-delete",
    "social:kudos-create",
    "social:bookmark-new",
    "social:series-bookmark-new",
    "social:bookmark-edit",
    "social:bookmark-delete",
    "social:mark-for-later",
    "social:mark-as-read",
    "social:readings-clear",
    "social:reading-delete",
    "social:subscriptions-delete-all",
    "social:subscription-delete",
    "social:comment-create",
    "social:comment-delete",
    "social:comment-freeze",
    "social:comment-unfreeze",
    "social:comment-approve",
    "social:inbox-update",
    "news:post-new",
    "news:post-edit",
    "news:post-delete",
    "news:comment-create",
    "news:comment-reply",
    "news:comment-delete",
}

# Names the search form reads: the watch on QueryDict must find each of them on /works.
FORM_PARAMS = (
    [f"work_search[{name}]" for name in (*SIDEBAR_FIELDS, *SEARCH_ONLY_FIELDS, "sort_column")]
    + [f"work_search[{name}][]" for name in SEARCH_ONLY_LISTS]
    + [
        f"{side}_work_search[{name}][]"
        for side in ("include", "exclude")
        for name in ID_PARAMS.values()
    ]
    + [f"work_search[{name}]" for name in (*NAME_PARAMS.values(), *STAT_PARAMS.values())]
    + ["page", "show_hidden", "tag_id", "user_id", "pseud_id"]
)

# --- Hostile values, by kind ---------------------------------------------------------------
# Each example gives every route one kind of value (route i gets kind i + offset), and about
# half the route's parameters a value or two of it. The first examples are written out, one
# per offset with the hand-picked values below, so every route meets every kind on every
# run; hypothesis then adds examples of its own values.

HUGE = ["99999999999999999999", str(2**63), str(2**64), str(2**32), "-" + "9" * 30, "9" * 5000]
NOT_WHOLE = ["NaN", "nan", "inf", "-inf", "1e400", "1e-400", "1.5", "0x10", "1_000", "²", "١٢"]
CONTROLS = ["\x00", "a\x00b", "\x00" * 10, "\r\n", "\x1b[0m", "\x7f", "\x0b"]
UNICODE = ["é", "🙂", "\ufeff", "\u202e", "ǆ", "ﬁ", "İ", "\u0301", "ß", "\U0001d7d9", "\ufffd"]
BRACKETS = ["(" * 300, ")" * 300, "(" * 150 + ")" * 300, ")(" * 200, '"(' * 200, "NOT " * 800]
MINI = [
    "words>99999999999999999999",
    "kudos:<1e400",
    "hits:1-99999999999999999999",
    "revised_at:<99999 years",
    "created_at:>99999 years ago",
    "-(-(-(" * 100,
    "title:" * 500 + "x",
]
DATES = ["0000-01-01", "99999-12-31", "9999-12-31", "0001-01-01", "<99999 years", "2026-02-30"]
ODD = ["%", "%00", "*s*", "../", "//evil.example", "javascript:alert(1)", "<b>", ",,, ,", "T"]
LONG = ["a" * 6000, "é" * 3000, "a," * 3000, "x " * 3000]
BLANK = ["", " ", "\t", "   "]

PICKED = {
    "numbers": [*HUGE, *NOT_WHOLE, "-1", "0", *(f"{op}{HUGE[0]}" for op in ("<", ">", "1-"))],
    "controls": CONTROLS,
    "unicode": UNICODE,
    "structure": [*BRACKETS, *MINI, *DATES, *ODD, *LONG],
    "blank": BLANK,
}
KINDS = list(PICKED)
STRATEGIES = {
    "numbers": st.one_of(
        st.sampled_from(PICKED["numbers"]),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.floats().map(repr),
    ),
    "controls": st.one_of(
        st.sampled_from(CONTROLS), st.text(st.characters(max_codepoint=31), min_size=1)
    ),
    "unicode": st.one_of(
        st.sampled_from(UNICODE),
        st.text(st.characters(min_codepoint=128, exclude_categories=["Cs"]), min_size=1),
    ),
    "structure": st.one_of(
        st.sampled_from(PICKED["structure"]),
        st.tuples(st.text(min_size=1, max_size=5), st.integers(500, 3000)).map(
            lambda pair: (pair[0] * pair[1])[:6000]
        ),
        st.lists(st.sampled_from(["(", ")", '"', "-", "NOT ", "OR ", "a ", ":", "<", ","])).map(
            "".join
        ),
    ),
    "blank": st.sampled_from(BLANK),
}
pools = st.fixed_dictionaries(
    {kind: st.lists(strategy, min_size=1, max_size=6) for kind, strategy in STRATEGIES.items()}
)


# --- The routes --------------------------------------------------------------------------


def _routes(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _skipped(name: str) -> bool:
    return name in NOT_LISTINGS or any(
        name == key or name.startswith((f"{key}:", key)) for key in NOT_FUZZED
    )


@pytest.fixture
def world(alice, bob, carol):
    """An archive with one of everything a fuzzed route can show: works with chapters and a
    series, a draft, comments and a reply, a bookmark, a reading, a subscription, a saved
    search, a blocklist, a block and a mute."""
    alice.is_wrangler = True
    alice.save(update_fields=["is_wrangler"])
    fandom = do_find_or_create_tags([FANDOM], TagType.FANDOM)[0]
    do_set_canonical(fandom, True)
    work = make_work(author=alice, title="Morning Letters", chapters=2, new_series_title="Days")
    make_work(author=alice, title="Unfinished", posted=False)
    make_work(author=alice, title="Members Only", restricted=True, freeforms=("Loose Thread",))
    other = make_work(author=bob, title="Evening Walk", characters=("Jane Bennet",))
    comment = make_comment(work, user=bob)
    make_comment(work, user=alice, parent=comment)
    alice_client = client_for(alice)
    alice_client.post(f"/works/{other.pk}/bookmarks/new", {"notes": "Lovely.", "tags": "Tea"})
    alice_client.post(f"/works/{other.pk}/mark_for_later")
    alice_client.post(
        "/users/alice/subscriptions",
        {"subscription[subscribable_type]": "Work", "subscription[subscribable_id]": other.pk},
    )
    saved = do_save_search(alice, name="Tea", path="/works", query_string="work_search[query]=tea")
    entry = do_block_tag(alice, fandom)
    do_block_user(alice, carol)
    do_mute_user(alice, carol)
    news = do_create_news_post(
        NewsPostInput(title="News", body="Hello.", tag_names=["Site"], published=True), by=None
    )
    medium = Tag.objects.filter(type=TagType.MEDIA).first()  # the fixed media tags
    # By app label: the social app's modules are being split by subject.
    bookmark = apps.get_model("social", "Bookmark").objects.get(owner=alice)
    reading = apps.get_model("social", "Reading").objects.get(user=alice)
    assert apps.get_model("social", "Subscription").objects.filter(user=alice).exists()
    return {
        "work_id": work.pk,
        "chapter_id": work.chapters.order_by("position").first().pk,
        "series_id": work.serial_works.get().series_id,
        "comment_id": comment.pk,
        "bookmark_id": bookmark.pk,
        "reading_id": reading.pk,
        "login": "alice",
        "pseud": "alice",
        "code": "en",
        "tag": tag_to_url_part(FANDOM),
        "media": tag_to_url_part(medium.name),
        "tag_type": "fandom",
        "saved_id": saved.pk,
        "saved_token": saved.feed_token,
        "entry_id": entry.pk,
        "kind": "work",  # moderation's /staff/hide/<kind>/<target_id>
        "target_id": work.pk,
        "post_id": news.pk,
    }


def _path(pattern: URLPattern, world: dict) -> str:
    route = str(pattern.pattern)
    for name in pattern.pattern.converters:
        value = world.get(name)
        assert value is not None, f"no value for <{name}> in {route}: add one to `world`"
        route = route.replace(f"<int:{name}>", str(value)).replace(
            f"<str:{name}>", quote(str(value))
        )
    return "/" + route


@pytest.fixture
def fuzzed_routes(world) -> list[tuple[str, str]]:
    return _fuzzed(world)


def _fuzzed(world: dict) -> list[tuple[str, str]]:
    routes = [(name, _path(pattern, world)) for name, pattern in _routes() if not _skipped(name)]
    feed = dict(routes)["search:saved-search-feed"]
    routes = [
        (name, f"{path}?token={world['saved_token']}" if path == feed else path)
        for name, path in routes
    ]
    return routes


class _Reads:
    """The names a view reads from request.GET (and POST: harmless to fuzz too)."""

    def __init__(self, monkeypatch) -> None:
        self.names: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._watching(original))

    def _watching(self, original):
        def watched(query_dict, key, *args, **kwargs):
            if isinstance(key, str):
                self.names.add(key)
            return original(query_dict, key, *args, **kwargs)

        return watched


def _get(client: Client, path: str, params: dict):
    """One request, in a savepoint rolled back after it: a GET may write (hits, readings,
    facet caches), and on PostgreSQL a failed statement must not poison the next request."""
    base, _, query = path.partition("?")
    data = QueryDict(query, mutable=True)
    for key, given_values in params.items():
        data.setlist(key, given_values)
    with transaction.atomic():
        response = client.get(base, data)
        transaction.set_rollback(True)
    return response


SEARCH_FORM_PREFIXES = ("work_search[", "include_work_search[", "exclude_work_search[")


def _parameters(client: Client, routes, monkeypatch) -> dict[str, list[str]]:
    """Per route, the names it reads on a plain visit, and on a visit with each of those
    given a login (so names read only beside another, as pseud_id beside user_id, are found
    too; the search form's own names are read on every visit anyway)."""
    found = {}
    for name, path in routes:
        with monkeypatch.context() as patch:
            reads = _Reads(patch)
            _get(client, path, {})
            for key in sorted(reads.names - {"token"}):
                if not key.startswith(SEARCH_FORM_PREFIXES):
                    _get(client, path, {key: ["alice"]})
        found[name] = sorted(reads.names - {"csrfmiddlewaretoken"} | {"page"})
    return found


def test_every_route_is_fuzzed_or_named_with_a_reason():
    names = [name for name, _ in _routes()]
    fuzzed = [name for name in names if not _skipped(name)]
    assert len(fuzzed) > 30, fuzzed
    for key in NOT_LISTINGS:
        assert key in names, f"{key} is no longer a route: take it off NOT_LISTINGS"


def _shortened(params: dict) -> dict:
    """Parameters as a failure shows them: long values cut."""
    return {
        key: [value if len(value) <= 60 else f"{value[:60]}…({len(value)})" for value in values]
        for key, values in params.items()
    }


def _with_picked_values(test):
    """The written-out examples: one per offset, so every route meets every kind."""
    for offset in range(len(KINDS)):
        test = example(offset=offset, pools=PICKED, random=Random(offset))(test)
    return test


@pytest.mark.parametrize("viewer", ["guest", "alice"])
def test_no_hostile_get_parameter_is_a_server_error(world, fuzzed_routes, viewer, monkeypatch):
    from quire.accounts.models import User

    client = Client() if viewer == "guest" else client_for(User.objects.get(username=viewer))
    client.raise_request_exception = False
    parameters = _parameters(client, fuzzed_routes, monkeypatch)
    # The watch saw every name the search form reads (so it sees what other views read too).
    assert set(FORM_PARAMS) <= set(parameters["works:work-index"])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        # Shrinking would replay hundreds of requests a step: a failure names the route, the
        # kind and the parameters instead.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        offset=st.integers(0, len(KINDS) - 1),
        pools=pools,
        random=st.randoms(use_true_random=False),
    )
    @_with_picked_values
    def visit_every_route(offset, pools, random):
        failures = []
        for index, (name, path) in enumerate(fuzzed_routes):
            kind = KINDS[(index + offset) % len(KINDS)]
            # About half the route's parameters, so that one refused early (an unknown
            # tag_id is a 404) does not hide the rest every time; some given twice or more.
            params = {
                param: random.choices(pools[kind], k=random.choice((1, 1, 2, 3)))
                for param in parameters[name]
                if random.random() < 0.5
            }
            response = _get(client, path, params)
            if response.status_code >= 500:
                failures.append((name, kind, response.status_code, _shortened(params)))
        assert not failures, "\n".join(map(repr, failures))

    visit_every_route()
