"""Writes for a reader's own search settings: the blocklist and saved searches.

Blocking is idempotent (blocking what is already blocked returns the existing entry), so a
double-clicked button or a replayed form is never an error. Listings read the blocklist on
every request (queries.blocklist_of), so nothing needs recomputing after a write.
"""

import re
import secrets

from django.db import IntegrityError, transaction
from django.http import QueryDict

from quire.accounts.models import User
from quire.tags.audience import shown_tags
from quire.tags.models import Tag
from quire.tags.names import tag_key
from quire.works.models import Work

from .models import BlocklistEntry, SavedSearch

BLOCKLIST_LIMIT = 2_000  # entries per kind (tags, creators, works)
SAVED_SEARCH_NAME_MAX = 100


class BlocklistError(ValueError):
    """A block that can't be made; the message is for the reader."""


def _block(owner: User, kind: str, target) -> BlocklistEntry:
    existing = BlocklistEntry.objects.filter(owner=owner, **{kind: target}).first()
    if existing is not None:
        return existing
    if BlocklistEntry.objects.filter(owner=owner, **{f"{kind}__isnull": False}).count() >= (
        BLOCKLIST_LIMIT
    ):
        raise BlocklistError(
            f"Your blocklist already holds {BLOCKLIST_LIMIT:,} {kind}s, the most it can hold. "
            f"Remove some to block more."
        )
    try:
        with transaction.atomic():
            return BlocklistEntry.objects.create(owner=owner, **{kind: target})
    except IntegrityError:
        # The same block made at the same moment by another request.
        return BlocklistEntry.objects.get(owner=owner, **{kind: target})


def do_block_tag(owner: User, tag: Tag) -> BlocklistEntry:
    """Hide works with `tag` (a canonical tag also hides its synonyms' and subtags' works,
    through the filter table) from `owner`'s listings. Raises BlocklistError when full."""
    return _block(owner, "tag", tag)


def do_block_creator(owner: User, user: User) -> BlocklistEntry:
    """Hide `user`'s works (never their anonymous ones) from `owner`'s listings. Raises
    BlocklistError for oneself or when full."""
    if user.pk == owner.pk:
        raise BlocklistError("You can't block yourself.")
    return _block(owner, "creator", user)


def do_block_work(owner: User, work: Work) -> BlocklistEntry:
    """Hide one work from `owner`'s listings. Raises BlocklistError when full."""
    return _block(owner, "work", work)


def do_unblock(entry: BlocklistEntry) -> None:
    """Remove one blocklist entry; its works are listed again at once."""
    entry.delete()


def do_save_search(owner: User, *, name: str, path: str, query_string: str) -> SavedSearch:
    """Keep a listing's filters under a name, with a fresh private feed token. The caller has
    checked the name and that `path` is a listing."""
    return SavedSearch.objects.create(
        owner=owner,
        name=name,
        path=path,
        query_string=query_string,
        feed_token=secrets.token_urlsafe(32),
    )


def do_delete_saved_search(saved: SavedSearch) -> None:
    """Forget a saved search; its feed URL stops working."""
    saved.delete()


class SavedSearchError(ValueError):
    """A search that can't be saved; the message is for the reader."""


def check_block(
    owner: User, *, tag_name: str = "", creator_login: str = "", work_ref: str = ""
) -> BlocklistEntry:
    """Block what the reader typed: a tag by name, a creator by login, or a work by id or URL
    (exactly one). Raises BlocklistError with a message for anything that can't be blocked."""
    from quire.works.queries import visible_works

    if tag_name:
        # A tag the reader may not see is missing to them too (issue 11: names don't leak).
        tag = shown_tags(owner).filter(name_key=tag_key(tag_name)).first()
        if tag is None:
            raise BlocklistError(f"There is no tag named “{tag_name}”.")
        return do_block_tag(owner, tag)
    if creator_login:
        user = User.objects.filter(username__iexact=creator_login, is_active=True).first()
        if user is None:
            raise BlocklistError(f"There is no user with the login “{creator_login}”.")
        return do_block_creator(owner, user)
    if work_ref:
        match = _WORK_REF.search(work_ref)
        work = (
            visible_works(owner).filter(pk=int(match["id"])).first() if match is not None else None
        )
        if work is None:
            raise BlocklistError(
                f"“{work_ref}” isn't a work you can see: give its number or its URL "
                f"(like /works/123)."
            )
        return do_block_work(owner, work)
    raise BlocklistError("Give a tag name, a creator's login or a work to block.")


_WORK_REF = re.compile(r"^\s*(?:(?:https?://[^/\s]+)?/works/)?(?P<id>\d{1,12})(?:[/?#].*)?\s*$")


def describe_entry(entry: BlocklistEntry) -> str:
    """How a blocklist entry reads in messages: the tag's name, the creator's login, the
    work's title."""
    if entry.tag is not None:
        return f"The tag “{entry.tag.name}”"
    if entry.creator is not None:
        return f"The creator {entry.creator.username}"
    if entry.work is not None:
        return f"The work “{entry.work.title}”"
    raise ValueError(f"Blocklist entry {entry.pk} names nothing, which its table forbids.")


def check_save_search(owner: User, *, name: str, path: str, query_string: str) -> SavedSearch:
    """Save a listing's search after checking the name and that `path` is a listing. The
    page number and show_hidden are dropped from the query string. Raises SavedSearchError."""
    from .queries import listing_scope

    name = name.strip()
    if not name:
        raise SavedSearchError("Give your saved search a name.")
    if len(name) > SAVED_SEARCH_NAME_MAX:
        raise SavedSearchError(
            f"A saved search's name has at most {SAVED_SEARCH_NAME_MAX} characters "
            f"(this one has {len(name)})."
        )
    path = path.strip()
    if not path.startswith("/") or path.startswith("//") or listing_scope(path) is None:
        raise SavedSearchError("Only a listing of works or a search can be saved.")
    query = QueryDict(query_string.lstrip("?"), mutable=True)
    for key in ("page", "show_hidden"):
        query.pop(key, None)
    return do_save_search(owner, name=name, path=path, query_string=query.urlencode())
