"""The two commands: a line per table when watched (-v 2 here, or a terminal), a summary."""

from io import StringIO

import pytest
from django.core.management import call_command

from quire.testing import make_user, make_work

from .archive_helpers import empty_database

pytestmark = pytest.mark.django_db


def test_it_exports_and_imports_with_a_line_per_table(tmp_path):
    make_work(author=make_user("alice"), chapters=2)
    out = StringIO()
    call_command("export_archive", str(tmp_path / "a"), verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split()[:3] == ["works.chapter", "2", "rows"] for line in lines)
    assert lines[-1].startswith("Exported ")

    empty_database(keep_seeds=True)
    out = StringIO()
    call_command("import_archive", str(tmp_path / "a"), verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.split()[:3] == ["works.chapter", "2", "rows"] for line in lines)
    assert any(line.strip().startswith("derived tables rebuilt") for line in lines)
    assert lines[-1].startswith("Imported ")


def test_it_is_quiet_when_not_watched(tmp_path):
    make_user("alice")
    out = StringIO()
    call_command("export_archive", str(tmp_path / "a"), stdout=out)
    assert len(out.getvalue().splitlines()) == 1
