"""manage.py import_works PATH... --as LOGIN [--pseud P] [--restricted]"""

import io

import pytest
from django.core.management import CommandError, call_command

from quire.accounts.models import Pseud
from quire.imports.management.commands.import_works import Progress
from quire.imports.models import ImportedWork
from quire.imports.testing import (
    ChapterSpec,
    WorkSpec,
    build_epub,
    build_fanficfare_epub,
    build_html,
)
from quire.works.models import Work


def run(*args):
    out = io.StringIO()
    call_command("import_works", *args, stdout=out)
    return out.getvalue()


def test_it_imports_a_directory_as_a_user(alice, sample, tmp_path):
    for name in ("single-chapter.html", "three-chapters.html"):
        (tmp_path / name).write_bytes(sample(name))
    output = run(str(tmp_path), "--as", "alice")
    assert "Imported 2, skipped 0 already imported, 0 not imported" in output
    assert "files/s" in output
    assert set(Work.objects.values_list("title", flat=True)) == {
        "The Ferry of Market",
        "The Kettle of Island",
    }
    assert not Work.objects.filter(restricted=True).exists()


def test_it_imports_a_directory_of_mixed_formats_and_leaves_other_files(alice, sample, tmp_path):
    two = [ChapterSpec("<p>One two three.</p>"), ChapterSpec("<p>Four five.</p>")]
    (tmp_path / "a.html").write_bytes(sample("single-chapter.html"))
    (tmp_path / "b.TXT").write_bytes(sample("three-chapters.txt"))
    nested = tmp_path / "more" / "books"
    nested.mkdir(parents=True)
    (nested / "c.epub").write_bytes(build_epub(WorkSpec(work_id=7, title="Pages", chapters=two)))
    (nested / "d.epub").write_bytes(build_fanficfare_epub(WorkSpec(work_id=8, title="Fanfic")))
    (nested / "cover.jpg").write_bytes(b"\xff\xd8 not a work")
    (tmp_path / "notes.md").write_text("not a work either")
    output = run(str(tmp_path), "--as", "alice")
    assert "Imported 4, skipped 0 already imported, 0 not imported; 4 files" in output
    formats = dict(ImportedWork.objects.values_list("work__title", "source_format"))
    assert formats == {
        "The Ferry of Market": "HTML download",
        "The Kettle of Island": "text download",
        "Pages": "EPUB download",
        "Fanfic": "FanFicFare EPUB",
    }
    assert Work.objects.get(title="Pages").word_count == 5


def test_it_imports_as_a_pseud_and_restricted(alice, sample, tmp_path):
    Pseud.objects.create(user=alice, name="Quill")
    path = tmp_path / "w.html"
    path.write_bytes(sample("single-chapter.html"))
    run(str(path), "--as", "alice", "--pseud", "Quill", "--restricted")
    work = Work.objects.get()
    assert work.restricted is True
    assert [pseud.name for pseud in work.pseuds.all()] == ["Quill"]


def test_a_batch_continues_past_bad_files_and_reports_them(alice, sample, tmp_path):
    (tmp_path / "a-good.html").write_bytes(sample("single-chapter.html"))
    (tmp_path / "b-bad.html").write_bytes(b"<html><body>not a work</body></html>")
    (tmp_path / "c-good.txt").write_bytes(sample("three-chapters.txt"))
    (tmp_path / "d-again.html").write_bytes(sample("single-chapter.html"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 of 5 files were not imported"):
        call_command(
            "import_works",
            str(tmp_path),
            str(tmp_path / "missing.html"),
            "--as",
            "alice",
            stdout=out,
            stderr=err,
        )
    output = out.getvalue()
    assert f"{tmp_path / 'b-bad.html'}: not imported, it has no AO3 preface" in output
    assert "missing.html: not imported, No such file or directory" in output
    assert "Imported 2, skipped 1 already imported, 2 not imported" in output
    assert ImportedWork.objects.count() == 2


def test_it_refuses_an_unknown_user_or_pseud(alice, tmp_path):
    path = tmp_path / "w.html"
    path.write_bytes(build_html(WorkSpec()).encode())
    with pytest.raises(CommandError, match='No user "nobody"'):
        run(str(path), "--as", "nobody")
    with pytest.raises(CommandError, match='alice has no pseud "Ghost"'):
        run(str(path), "--as", "alice", "--pseud", "Ghost")


def test_the_progress_bar_shows_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    from django.core.management.base import OutputWrapper

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(OutputWrapper(stream), 4)
        for _ in range(4):
            progress.step()
    assert "[" + "#" * 30 + "] 4/4 files" in terminal.getvalue()
    assert pipe.getvalue() == ""
