"""do_import_file: a file becomes a posted, backdated work through the posting actions, or
nothing at all; a source imported before is skipped."""

import datetime

import pytest

from quire.imports.actions import do_import_file
from quire.imports.models import ImportedWork
from quire.imports.testing import ChapterSpec, WorkSpec, build_epub, build_html, flatten
from quire.tags.models import Tag
from quire.testing import row_counts
from quire.works.models import Chapter, Creatorship, Tagging, Work


def tag_names(work, tag_type=None):
    tags = work.tags.order_by("taggings__id")
    if tag_type is not None:
        tags = tags.filter(type=tag_type)
    return [tag.name for tag in tags]


def import_as(user, name, data, **options):
    return do_import_file(name, data, pseud=user.pseuds.get(is_default=True), **options)


@pytest.mark.parametrize("name", ["single-chapter", "three-chapters"])
@pytest.mark.parametrize("ext", ["html", "txt"])
def test_it_imports_the_samples_with_the_word_count_they_state(alice, sample, name, ext):
    result = import_as(alice, f"{name}.{ext}", sample(f"{name}.{ext}"))
    assert result.status == "imported", result.line()
    assert result.notices == []
    work = result.work
    assert work.word_count == {"single-chapter": 237, "three-chapters": 831}[name]
    assert work.posted and work.complete
    assert work.chapters.count() == {"single-chapter": 1, "three-chapters": 3}[name]


def test_it_maps_the_tags_and_keeps_date_url_and_author(alice, sample):
    work = import_as(alice, "three-chapters.html", sample("three-chapters.html")).work
    assert tag_names(work) == [
        "Teen And Up Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Sherlock Holmes - Arthur Conan Doyle",
        "Elizabeth Bennet/Jane Bennet",
        "Sherlock Holmes",
        "Jane Bennet",
        "Slice of Life",
        "Friendship",
    ]
    assert work.published_at == datetime.date(2020, 2, 16)
    assert work.revised_at.date() == datetime.date(2024, 2, 3)
    assert set(Chapter.objects.filter(work=work).values_list("published_at", flat=True)) == {
        datetime.date(2020, 2, 16)
    }
    assert [c.title for c in work.chapters.order_by("position")] == ["Pocket", "Kettle", "Meadow"]
    origin = work.imported_from
    assert origin.source_url == "https://archiveofourown.org/works/101002"
    assert origin.original_author == "writer1002"
    assert origin.source_format == "HTML download"
    assert origin.imported_by == alice
    assert list(work.pseuds.all()) == [alice.pseuds.get(is_default=True)]
    assert work.language.code == "en"


def test_it_maps_older_warning_names_foreign_ratings_and_unknown_warnings(alice):
    spec = WorkSpec(
        rating="PG-13",
        warnings=["Underage", "Author Chose Not To Use Archive Warnings", "Mild Peril"],
        categories=["F/F", "Romance"],
        freeforms=["Fluff"],
    )
    work = import_as(alice, "w.html", build_html(spec).encode()).work
    assert tag_names(work)[:4] == [
        "Teen And Up Audiences",
        "Underage Sex",
        "Choose Not To Use Archive Warnings",
        "F/F",
    ]
    assert tag_names(work, "freeform") == ["Fluff", "Mild Peril", "Romance"]
    assert work.adult is False


def test_a_work_without_a_rating_or_warning_is_not_rated_and_chose_not_to_warn(alice):
    document = build_html(WorkSpec(rating="Unheard Of", warnings=[]))
    work = import_as(alice, "w.html", document.encode()).work
    assert tag_names(work)[:2] == ["Not Rated", "Choose Not To Use Archive Warnings"]
    assert work.adult is True


def test_it_creates_unknown_user_tags_through_the_tag_actions(alice):
    import_as(alice, "w.html", build_html(WorkSpec(freeforms=["Brand New Tag"])).encode())
    tag = Tag.objects.get(name="Brand New Tag")
    assert tag.type == "freeform" and not tag.canonical


def test_it_imports_restricted_and_as_another_pseud(alice):
    from quire.accounts.models import Pseud

    other = Pseud.objects.create(user=alice, name="Quill")
    result = do_import_file("w.html", build_html(WorkSpec()).encode(), pseud=other, restricted=True)
    assert result.work.restricted is True
    assert list(result.work.pseuds.all()) == [other]


def test_importing_the_same_source_twice_is_skipped(alice, sample):
    first = import_as(alice, "a.html", sample("single-chapter.html"))
    again = import_as(alice, "a.html", sample("single-chapter.html"))
    as_text = import_as(alice, "a.txt", sample("single-chapter.txt"))
    assert first.status == "imported"
    assert again.status == "skipped" and as_text.status == "skipped"
    assert f"as work {first.work.pk}" in again.message
    assert Work.objects.count() == 1 and ImportedWork.objects.count() == 1


def test_a_failed_import_leaves_nothing_behind(alice):
    before = row_counts(Work, Chapter, Tagging, Creatorship, Tag, ImportedWork)
    spec = WorkSpec(
        freeforms=["A Tag Nobody Has Used"],
        chapters=[ChapterSpec("<p>Fine text for the first one.</p>"), ChapterSpec("<p> </p>")],
    )
    result = import_as(alice, "broken.html", build_html(spec).encode())
    assert result.status == "failed"
    assert result.line() == "broken.html: not imported, it has an empty chapter (chapter 2)"
    assert row_counts(Work, Chapter, Tagging, Creatorship, Tag, ImportedWork) == before


def test_a_failure_inside_the_transaction_rolls_back_the_work(alice, monkeypatch):
    from quire.imports import actions

    def explode(**kwargs):
        raise actions.NotAWork("could not be recorded")

    before = row_counts(Work, Chapter, Tagging, Tag, ImportedWork)
    monkeypatch.setattr(actions.ImportedWork.objects, "create", explode)
    spec = WorkSpec(freeforms=["Only In This File"])
    result = import_as(alice, "w.html", build_html(spec).encode())
    assert result.status == "failed"
    assert row_counts(Work, Chapter, Tagging, Tag, ImportedWork) == before


def test_a_file_without_a_fandom_is_refused(alice):
    result = import_as(alice, "w.html", build_html(WorkSpec(fandoms=[])).encode())
    assert result.status == "failed" and "names no fandom" in result.message


def test_a_stated_count_the_text_does_not_match_is_reported(alice):
    spec = WorkSpec(words=999)
    result = import_as(alice, "w.html", build_html(spec).encode())
    assert result.status == "imported"
    assert result.work.word_count == 10
    assert "states 999 words but Quire counts 10" in result.notices[0]


def test_a_work_in_progress_keeps_its_unknown_chapter_total(alice):
    spec = WorkSpec(
        complete=False, updated="2022-01-01", chapters=[ChapterSpec("<p>One chapter so far.</p>")]
    )
    work = import_as(alice, "w.html", build_html(spec).encode()).work
    assert work.expected_chapters is None and not work.complete


def test_an_epub_imports_like_the_html(alice):
    spec = WorkSpec(
        chapters=[ChapterSpec("<p>One two three.</p>"), ChapterSpec("<p>Four five six.</p>")]
    )
    work = import_as(alice, "w.epub", build_epub(spec)).work
    assert work.word_count == 6 and work.chapters.count() == 2
    assert work.imported_from.source_format == "EPUB download"


def test_a_text_download_of_a_generated_work_imports_with_its_stated_count(alice):
    spec = WorkSpec(notes="<p>Notes first.</p>", chapters=[ChapterSpec("<p>A b c d e.</p>")])
    work = import_as(alice, "w.txt", flatten(build_html(spec)).encode()).work
    assert work.word_count == 5 and work.notes == "<p>Notes first.</p>"


def test_a_fanficfare_epub_imports_with_its_stated_count(alice):
    from quire.imports.testing import build_fanficfare_epub

    spec = WorkSpec(
        characters=["Jo March"],
        freeforms=["Fluff"],
        categories=["Gen"],
        chapters=[ChapterSpec("<p>One two three.</p>"), ChapterSpec("<p>Four five six.</p>")],
    )
    result = import_as(alice, "fff.epub", build_fanficfare_epub(spec))
    work = result.work
    assert result.notices == []
    assert work.word_count == 6 and work.chapters.count() == 2
    assert tag_names(work, "freeform") == ["Fluff"]
    assert tag_names(work)[:3] == ["General Audiences", "No Archive Warnings Apply", "Gen"]
    assert work.imported_from.source_format == "FanFicFare EPUB"
    assert work.imported_from.source_url == "https://archiveofourown.org/works/101001"


def test_singular_labels_for_several_tags_are_read_in_the_html(alice):
    spec = WorkSpec(characters=["Jo March", "Beth March"], singular_labels=True)
    assert "<dt>Character:</dt>" in build_html(spec)
    work = import_as(alice, "w.html", build_html(spec).encode()).work
    assert tag_names(work, "character") == ["Jo March", "Beth March"]
