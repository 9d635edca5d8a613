"""An imported file whose text nests past the sanitizer's limit is refused with the reason,
like any other file that is not a work, and leaves nothing behind."""

import pytest

from quire.imports.actions import do_import_file
from quire.imports.testing import ChapterSpec, WorkSpec, build_epub, build_html
from quire.lib.sanitize import MAX_NESTING
from quire.works.models import Work

pytestmark = pytest.mark.django_db

DEEP = "<p>" + "<em>" * (MAX_NESTING + 5) + "Down here." + "</em>" * (MAX_NESTING + 5) + "</p>"


@pytest.mark.parametrize("build", [build_html, build_epub])
def test_a_chapter_nested_too_deep_is_refused_with_the_reason(alice, build):
    spec = WorkSpec(
        chapters=[
            ChapterSpec("<p>The rain had stopped by the time the letters came.</p>"),
            ChapterSpec(DEEP),
        ]
    )
    data = build(spec)
    result = do_import_file(
        "deep", data if isinstance(data, bytes) else data.encode(), pseud=alice.pseuds.get()
    )
    assert result.status == "failed"
    assert f"nested more than {MAX_NESTING} elements deep (chapter 2)" in result.message
    assert Work.objects.count() == 0


def test_a_summary_nested_too_deep_is_refused_with_the_reason(alice):
    data = build_html(WorkSpec(summary=DEEP)).encode()
    result = do_import_file("deep.html", data, pseud=alice.pseuds.get())
    assert result.status == "failed"
    assert f"a summary nested more than {MAX_NESTING} elements deep" in result.message
