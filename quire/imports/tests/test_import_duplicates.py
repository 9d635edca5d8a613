"""Duplicates are an importing account's own: anyone may claim an AO3 URL first and the
real author can still import it, and no message ever names another person's work."""

import pytest
from django.db import IntegrityError, transaction

from quire.imports.actions import do_import_file, do_import_files
from quire.imports.models import ImportedWork
from quire.imports.testing import WorkSpec, build_html
from quire.testing import make_work

pytestmark = pytest.mark.django_db

WORK_ID = 424242
URL = WorkSpec(work_id=WORK_ID).url


def import_as(user, name, data):
    return do_import_file(name, data, pseud=user.pseuds.get(is_default=True))


def test_the_real_author_can_import_a_url_someone_else_claimed_first(alice, bob):
    claimed = import_as(
        bob, "claim.html", build_html(WorkSpec(work_id=WORK_ID, title="Claimed")).encode()
    )
    real = import_as(
        alice, "mine.html", build_html(WorkSpec(work_id=WORK_ID, title="Mine")).encode()
    )
    assert claimed.status == "imported" and real.status == "imported"
    assert real.work.pk != claimed.work.pk
    assert ImportedWork.objects.filter(source_url=URL).count() == 2


def test_the_same_file_imports_once_per_account(alice, bob):
    data = build_html(WorkSpec(work_id=WORK_ID)).encode()
    assert import_as(bob, "a.html", data).status == "imported"
    assert import_as(alice, "a.html", data).status == "imported"
    again = import_as(alice, "a.html", data)
    assert again.status == "skipped"


def test_a_refusal_names_only_the_importers_own_work(alice, bob):
    bobs = import_as(bob, "a.html", build_html(WorkSpec(work_id=WORK_ID)).encode())
    alices = import_as(alice, "a.html", build_html(WorkSpec(work_id=WORK_ID, title="B")).encode())
    again = import_as(alice, "b.html", build_html(WorkSpec(work_id=WORK_ID, title="C")).encode())
    assert again.status == "skipped"
    assert f"work {alices.work.pk}" in again.message
    assert str(bobs.work.pk) not in again.message


def test_a_batch_of_one_account_skips_its_own_repeats_only(alice, bob):
    data = build_html(WorkSpec(work_id=WORK_ID)).encode()
    import_as(bob, "a.html", data)
    results = list(
        do_import_files(
            [("a.html", data), ("b.html", data)], pseud=alice.pseuds.get(is_default=True)
        )
    )
    assert [r.status for r in results] == ["imported", "skipped"]
    assert f"work {results[0].work.pk}" in results[1].message


@pytest.mark.parametrize("field", ["source_url", "digest"])
def test_the_unique_constraints_are_per_account(alice, bob, field):
    data = build_html(WorkSpec(work_id=WORK_ID)).encode()
    import_as(bob, "a.html", data)
    mine = ImportedWork.objects.get(work=import_as(alice, "a.html", data).work)
    other = {"source_url": "https://example.org/elsewhere", "digest": "f" * 64}
    other[field] = getattr(mine, field)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedWork.objects.create(
            work=make_work(author=alice), imported_by=alice, source_format="HTML", **other
        )
