"""An import that can't be done says why and writes nothing: a database that is not empty, a
changed, missing or unreadable file, another format version, another migration state."""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from quire.backup import archive
from quire.backup.actions import ArchiveError, do_import_archive
from quire.backup.queries import export_archive
from quire.social.actions import do_leave_kudos
from quire.testing import make_user, make_work

from .archive_helpers import empty_database

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        archive.label(model): model._base_manager.count()
        for model in archive.exported_models() + archive.derived_models()
    }


@pytest.fixture
def exported(tmp_path):
    """A small archive on disk, and this database back to freshly migrated."""
    alice, bob = make_user("alice"), make_user("bob")
    work = make_work(author=alice, freeforms=("Tea",))
    do_leave_kudos(work, user=bob)
    export_archive(tmp_path / "archive")
    empty_database(keep_seeds=True)
    return tmp_path / "archive"


def edit_manifest(directory, change) -> None:
    path = directory / archive.MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def rewrite_file(directory, name: str, change) -> None:
    """Change a table's file and its checksum in the manifest, as a careful forger would."""
    path = directory / name
    path.write_text(change(path.read_text()))

    def fix(manifest):
        for entry in manifest["tables"]:
            if entry["file"] == name:
                entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()

    edit_manifest(directory, fix)


def refused(directory, message: str) -> None:
    before = row_counts()
    with pytest.raises(ArchiveError, match=message):
        do_import_archive(directory)
    assert row_counts() == before, "nothing was written"


def test_it_imports_the_small_archive(exported):
    do_import_archive(exported)
    assert apps.get_model("accounts", "User").objects.count() == 2


def test_it_refuses_a_database_that_is_not_empty(exported):
    make_user("carol")
    with pytest.raises(CommandError, match=r"not empty \(rows in accounts\.user"):
        call_command("import_archive", str(exported))
    assert apps.get_model("accounts", "User").objects.get().username == "carol"


def test_it_refuses_a_file_changed_after_the_export(exported):
    path = exported / "works.work.jsonl"
    path.write_text(path.read_text().replace("A Quiet Afternoon", "A Quiet Evening"))
    refused(exported, "works.work.jsonl does not match its checksum")


def test_it_refuses_a_missing_file(exported):
    (exported / "social.kudo.jsonl").unlink()
    refused(exported, "file social.kudo.jsonl is missing")


def test_it_refuses_a_row_count_that_differs_from_the_manifest(exported):
    def one_more(manifest):
        for entry in manifest["tables"]:
            if entry["model"] == "works.chapter":
                entry["rows"] += 1

    edit_manifest(exported, one_more)
    refused(exported, "works.chapter.jsonl has 1 rows; the manifest says 2")


def test_it_refuses_another_format_version(exported):
    edit_manifest(exported, lambda manifest: manifest.update(format_version=99))
    refused(exported, "format version 99; this Quire reads version 1")


def test_it_refuses_a_table_entry_without_a_model_name(exported):
    # Found by mypy: a nameless entry beside an unknown one made sorting the unknown names
    # compare None with a string (a TypeError, not a refusal).
    def garbled(manifest):
        manifest["tables"].append({"model": "elsewhere.thing", "file": "x.jsonl"})
        manifest["tables"].append({"file": "y.jsonl"})

    edit_manifest(exported, garbled)
    refused(exported, "lists a table without a model name")


def test_it_refuses_a_directory_without_a_manifest(exported):
    (exported / archive.MANIFEST).unlink()
    refused(exported, "has no manifest.json")
    with pytest.raises(ArchiveError, match="is not a directory"):
        do_import_archive(exported / "nowhere")


def test_it_names_the_migrations_that_differ(exported):
    def newer(manifest):
        manifest["migrations"]["tags"].append("9999_from_the_future")
        manifest["migrations"]["works"].remove("0002_seed_languages")

    edit_manifest(exported, newer)
    refused(
        exported,
        r"(?s)tags: the archive has 9999_from_the_future, which this database lacks.*"
        r"works: this database has 0002_seed_languages, which the archive lacks.*manage.py migrate",
    )


def test_it_writes_nothing_when_rows_do_not_fit_together(exported):
    # Checksums in order, but a kudo points at a work the archive does not have: the foreign
    # keys are checked before the transaction ends, and everything is rolled back.
    manifest = json.loads((exported / archive.MANIFEST).read_text())
    [kudos] = [entry for entry in manifest["tables"] if entry["model"] == "social.kudo"]
    column = kudos["columns"].index("work_id")

    def repoint(text: str) -> str:
        rows = [json.loads(line) for line in text.splitlines()]
        for row in rows:
            row[column] = 999999
        return "".join(json.dumps(row) + "\n" for row in rows)

    rewrite_file(exported, "social.kudo.jsonl", repoint)
    refused(exported, "do not fit together")


def test_it_reports_an_unreadable_line_and_writes_nothing(exported):
    rewrite_file(exported, "works.chapter.jsonl", lambda text: text.replace("[", "{", 1))
    refused(exported, r"works.chapter.jsonl, line 1: .*Nothing was imported")


def test_export_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_archive", str(tmp_path))


def test_every_listed_table_is_a_model_here():
    labels = {archive.label(model) for model in archive.stored_models()}
    assert labels >= archive.SKIPPED
    assert labels >= archive.SEEDED
    assert not archive.SEEDED & archive.SKIPPED
