"""Helpers of the backup tests: a varied archive built through the real actions, snapshots of
every row, and ways to empty the test database as a fresh one would be."""

import os
import subprocess
import sys
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection

from quire.accounts.actions import do_create_pseud, do_update_preferences
from quire.accounts.models import Block, Mute
from quire.backup import archive
from quire.search.actions import do_block_creator, do_block_tag, do_block_work, do_save_search
from quire.search.index import forget_works
from quire.social.actions import (
    BookmarkInput,
    CommentInput,
    do_create_bookmark,
    do_create_comment,
    do_leave_kudos,
    do_mark_for_later,
    do_record_hit,
    do_record_reading,
)
from quire.tags.actions import (
    do_add_metatag,
    do_add_parent,
    do_find_or_create_tags,
    do_make_synonym,
    do_set_canonical,
    do_set_unwrangleable,
)
from quire.tags.models import Tag, TagType
from quire.testing import make_user, make_work
from quire.works.models import Work

AUSTEN = "Pride and Prejudice - Jane Austen"
HOLMES = "Sherlock Holmes - Arthur Conan Doyle"


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def build_varied_archive() -> dict:
    """Users with pseuds, e-mail addresses and permissions; co-created works, drafts,
    restricted and multi-chapter works, a series; wrangled tags (canonicals, synonyms, a
    metatag over subtags, parents, an unwrangleable tag); kudos from accounts and guests,
    bookmarks with tags, comments (a thread, a guest's), readings, hits, blocklists, saved
    searches, blocks and mutes."""
    alice = make_user("alice")
    bob = make_user("bob")
    carol = make_user("carol")
    wrangler = make_user("wrangler")
    wrangler.is_wrangler = True
    wrangler.save(update_fields=["is_wrangler"])
    admin = make_user("admin", is_staff=True, is_superuser=True)
    # make_user confirmed their addresses (accounts.actions.do_create_user); bob's is not.
    EmailAddress.objects.filter(user=bob).update(verified=False)
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_work"))
    bob.groups.add(editors)
    wrangler.user_permissions.add(Permission.objects.get(codename="change_tag"))
    do_update_preferences(bob, history_enabled=True)
    quill = do_create_pseud(alice, "Quill", "<p>Alice's other name, with <em>emphasis</em>.</p>")
    bob_pseud = bob.pseuds.get(is_default=True)

    shared = make_work(
        author=alice,
        title="Letters Across the Moor",
        pseuds=[alice.pseuds.get(is_default=True), bob_pseud],
        fandoms=(AUSTEN,),
        relationships=("Elizabeth Bennet/Fitzwilliam Darcy",),
        characters=("Elizabeth Bennet", "Fitzwilliam Darcy"),
        freeforms=("Letters", "Slow Burn"),
        chapters=3,
        summary="<p>Letters, mostly.</p>",
        notes="<p>Thanks to my beta.</p>",
        endnotes="<p>More soon.</p>",
        new_series_title="The Moor Letters",
    )
    series = shared.series.get()
    sequel = make_work(
        author=alice,
        title="Rain on Pemberley",
        pseuds=[alice.pseuds.get(is_default=True), bob_pseud],
        fandoms=(AUSTEN, HOLMES),
        characters=("Sherlock Holmes", "Elizabeth Bennet"),
        freeforms=("Crossover", "Rain"),
        rating="Mature",
        series=series,
    )
    restricted = make_work(
        author=alice,
        title="Members Only",
        pseuds=[quill],
        restricted=True,
        freeforms=("Slowburn",),
        language="fr",
    )
    draft = make_work(author=alice, title="Unfinished Thing", posted=False, chapters=2)
    holmes = make_work(
        author=carol,
        title="The Case of the Quiet Street",
        fandoms=(HOLMES,),
        characters=("Sherlock Holmes", "John Watson"),
        relationships=("Sherlock Holmes/John Watson",),
        freeforms=("Case Fic", "Fluff"),
        rating="Teen And Up Audiences",
        warnings=("Choose Not To Use Archive Warnings",),
        categories=("M/M", "Gen"),
        expected_chapters=None,
        chapters=2,
        text="<p>雨が降っていた。 The street was quiet.</p>",
    )

    # Wrangling: synonyms, a metatag over two subtags, parents, an unwrangleable tag.
    for name in ("Slow Burn", "Letters", "Rain", "Fluff", "Case Fic"):
        do_set_canonical(tag(name), True, by=wrangler)
    do_make_synonym(tag("Slowburn"), tag("Slow Burn"), by=wrangler)
    [weather] = do_find_or_create_tags(["Weather"], TagType.FREEFORM)
    weather = do_set_canonical(weather, True, by=wrangler)
    do_add_metatag(tag("Rain"), weather, by=wrangler)
    do_add_metatag(tag("Fluff"), weather, by=wrangler)
    do_set_canonical(tag(AUSTEN), True, by=wrangler)
    do_set_canonical(tag(HOLMES), True, by=wrangler)
    do_add_parent(tag(AUSTEN), tag("Books & Literature"), by=wrangler)
    do_set_canonical(tag("Elizabeth Bennet"), True, by=wrangler)
    do_add_parent(tag("Elizabeth Bennet"), tag(AUSTEN), by=wrangler)
    do_set_unwrangleable(tag("Crossover"), True, by=wrangler)

    # What readers give back.
    do_leave_kudos(shared, user=carol)
    do_leave_kudos(holmes, user=alice)
    do_leave_kudos(shared, ip="203.0.113.7")
    do_leave_kudos(holmes, ip="2001:db8::1")
    do_create_bookmark(
        holmes,
        owner=bob,
        data=BookmarkInput(
            pseud=bob_pseud, notes="A <b>lovely</b> read.", tag_names=["Fluff", "Reread"], rec=True
        ),
    )
    do_create_bookmark(
        shared,
        owner=carol,
        data=BookmarkInput(pseud=carol.pseuds.get(), private=True, tag_names=["Letters"]),
    )
    do_record_reading(bob, holmes)
    do_record_reading(bob, holmes)
    do_mark_for_later(bob, sequel)
    do_record_hit(holmes.pk, "198.51.100.4")
    do_block_tag(bob, tag("Crossover"))
    do_block_creator(bob, carol)
    do_block_work(carol, sequel)
    do_save_search(bob, name="Rainy days", path="/works", query_string="work_search[query]=rain")
    chapter = holmes.chapters.order_by("position").first()
    question = do_create_comment(
        holmes, chapter, user=bob, data=CommentInput("Who wrote the letter?", pseud=bob_pseud)
    )
    do_create_comment(
        holmes,
        chapter,
        user=carol,
        data=CommentInput("<p>You'll see!</p>", pseud=carol.pseuds.get()),
        parent=question,
    )
    do_create_comment(
        holmes,
        chapter,
        user=None,
        data=CommentInput("Lovely.", guest_name="A reader", guest_email="reader@example.org"),
        ip="192.0.2.9",
    )
    Block.objects.create(blocker=alice, blocked=carol)
    Mute.objects.create(muter=bob, muted=carol)
    return {
        "users": [alice, bob, carol, wrangler, admin],
        "works": [shared, sequel, restricted, draft, holmes],
    }


def snapshot(models) -> dict[str, list[tuple]]:
    """Every row of these models, every column, in key order."""
    rows = {}
    for model in models:
        attnames = [field.attname for field in archive.columns(model)]
        rows[archive.label(model)] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._base_manager.order_by("pk").values_list(*attnames)
        ]
    return rows


def derived_snapshot() -> dict[str, object]:
    """The derived tables, as they are whatever keys their rows got: filter rows, autocomplete
    words, index rows (every column) and the full-text table."""
    from quire.search.models import WorkDoc
    from quire.tags.models import AutocompleteWord, FilterTagging

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid, title, creators, summary, notes, tags FROM search_workfts"
            )
        else:
            cursor.execute(
                "SELECT work_id, document::text, summary::text, notes::text FROM search_worktext"
            )
        words = sorted(cursor.fetchall())
    return {
        "filters": sorted(FilterTagging.objects.values_list("work_id", "tag_id", "inherited")),
        "autocomplete": sorted(AutocompleteWord.objects.values_list("tag_id", "tail")),
        "docs": snapshot([WorkDoc])["search.workdoc"],
        "words": words,
    }


def empty_database(*, keep_seeds: bool = False) -> None:
    """Delete the archive's rows, leaving what a freshly migrated database has (keep_seeds) or
    nothing at all (an import must take both)."""
    forget_works(Work.objects.values_list("pk", flat=True))
    doomed = [
        model
        for model in archive.exported_models() + archive.derived_models()
        if not (keep_seeds and archive.label(model) in archive.SEEDED)
    ]
    if keep_seeds:
        # The seeds' own autocomplete words stay, as migrate leaves them.
        doomed = [m for m in doomed if archive.label(m) != "tags.autocompleteword"]
    with connection.cursor() as cursor:
        for model in reversed(archive.in_dependency_order(doomed)):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
    if keep_seeds:
        Tag.objects.exclude(type__in=("rating", "warning", "category", "media")).delete()


def manage(*args: str, database_url: str, data_dir: Path) -> str:
    """Run manage.py in a child process against another database (a URL)."""
    env = {**os.environ, "DATABASE_URL": database_url, "QUIRE_DATA_DIR": str(data_dir)}
    done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
