"""An archive moved to another database and back arrives whole: every row of every exported
table, every column, and the derived tables rebuilt to what they were.

The other database is a SQLite file driven by manage.py in a child process, so when the suite
runs on PostgreSQL (DATABASE_URL) this one test moves the archive PostgreSQL -> SQLite and then
SQLite -> PostgreSQL. The way back is imported into the test database itself, emptied first, so
the comparison is with the rows the actions wrote."""

import json
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client

from quire.backup import archive
from quire.backup.actions import do_import_archive
from quire.backup.queries import export_archive
from quire.tags.names import tag_to_url_part
from quire.testing import parse, text_of

from .archive_helpers import (
    build_varied_archive,
    derived_snapshot,
    empty_database,
    manage,
    snapshot,
)

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/works",
    "/works/search?work_search%5Bquery%5D=rain",
    "/works/search?work_search%5Bquery%5D=%E9%9B%A8",
    f"/tags/{quote(tag_to_url_part('Weather'))}/works",
    f"/tags/{quote(tag_to_url_part('Slow Burn'))}/works",
    f"/tags/{quote(tag_to_url_part('Pride and Prejudice - Jane Austen'))}/works",
]


def listings(bob) -> dict[tuple[str, str], list[str]]:
    """What a guest and bob see listed (titles in order) on a few listings and searches."""
    readers = {"guest": Client(), "bob": Client()}
    readers["bob"].force_login(bob)
    seen = {}
    for name, client in readers.items():
        for path in LISTINGS:
            response = client.get(path)
            assert response.status_code == 200, path
            seen[name, path] = [
                text_of(a)
                for a in parse(response).xpath("//ol[@class='work index group']/li/div/h4/a[1]")
            ]
    return seen


def read_lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_it_moves_every_row_to_another_database_and_back(tmp_path):
    built = build_varied_archive()
    bob = built["users"][1]
    exported = archive.exported_models()
    seen_before = listings(bob)  # first: logging bob in writes his last_login
    rows_before = snapshot(exported)
    derived_before = derived_snapshot()
    assert seen_before["guest", LISTINGS[0]], "the archive lists works to begin with"
    for name in ("works.work", "social.kudo", "social.bookmark_tags", "social.comment"):
        assert rows_before[name], name
    assert all(derived_before.values()), "every derived table has rows to compare"

    first = tmp_path / "first"
    manifest = export_archive(first)
    assert manifest["source_database"] == connection.vendor

    other = tmp_path / "other"
    other.mkdir()
    url = f"sqlite:///{other / 'quire.sqlite3'}"
    manage("migrate", "--noinput", "-v0", database_url=url, data_dir=other)
    manage("import_archive", str(first), database_url=url, data_dir=other)
    second = tmp_path / "second"
    manage("export_archive", str(second), database_url=url, data_dir=other)

    # Every row and column, as the other database gives them back.
    for entry in manifest["tables"]:
        assert read_lines(second / entry["file"]) == read_lines(first / entry["file"]), entry[
            "model"
        ]
    theirs = json.loads((second / archive.MANIFEST).read_text())
    assert theirs["source_database"] == "sqlite"
    assert theirs["tables"] == manifest["tables"]

    # And back, into this database emptied of everything, seeds included.
    empty_database()
    assert not snapshot(exported)["works.work"]
    do_import_archive(second)

    rows_after = snapshot(exported)
    for model in exported:
        name = archive.label(model)
        assert rows_after[name] == rows_before[name], name
    derived_after = derived_snapshot()
    for name, rows in derived_before.items():
        assert derived_after[name] == rows, name
    assert listings(bob) == seen_before
    # New rows get keys past the imported ones.
    from quire.testing import make_user

    newcomer = make_user("newcomer")
    assert newcomer.pk > max(user.pk for user in built["users"])


def test_a_freshly_migrated_database_counts_as_empty(tmp_path):
    from quire.backup.actions import check_empty

    check_empty()  # the test database holds what migrate put there, and nothing else


def test_an_import_replaces_the_rows_migrations_seeded(tmp_path):
    build_varied_archive()
    rows_before = snapshot(archive.exported_models())
    export_archive(tmp_path / "archive")
    empty_database(keep_seeds=True)
    do_import_archive(tmp_path / "archive")
    assert snapshot(archive.exported_models()) == rows_before
