"""The write actions of works (actions.py): derived fields, word counts and versions."""

import datetime

import pytest

from quire.accounts.actions import do_create_pseud, do_update_pseud
from quire.testing import chapter_input, make_work
from quire.works import actions
from quire.works.models import Chapter, SerialWork, Work, WorkStats

pytestmark = pytest.mark.django_db


def fresh(work: Work) -> Work:
    return Work.objects.get(pk=work.pk)


# Word counts ----------------------------------------------------------------------------


def test_posting_stores_each_chapters_count_and_the_sum(alice):
    work = make_work(author=alice, chapters=3, text="<p>one two three</p>")
    assert list(work.chapters.values_list("word_count", flat=True)) == [3, 3, 3]
    assert work.word_count == 9


def test_draft_chapters_do_not_count(alice):
    work = make_work(author=alice, expected_chapters=None, text="<p>one two three</p>")
    actions.do_add_chapter(work, chapter_input("<p>four five</p>"), post=False)
    assert fresh(work).word_count == 3
    assert fresh(work).posted_chapter_count == 1


def test_a_draft_works_words_count_once_it_is_posted(alice):
    work = make_work(author=alice, posted=False, chapters=2, text="<p>a b c d</p>")
    assert (work.word_count, work.posted_chapter_count) == (0, 0)
    assert list(work.chapters.values_list("word_count", flat=True)) == [4, 4]
    actions.do_post_work(work)
    assert (fresh(work).word_count, fresh(work).posted_chapter_count) == (8, 2)


def test_posting_a_chapter_adds_its_words(alice):
    work = make_work(author=alice, expected_chapters=None, text="<p>one two three</p>")
    chapter = actions.do_add_chapter(work, chapter_input("<p>four five</p>"), post=False)
    actions.do_post_chapter(chapter)
    assert fresh(work).word_count == 5
    assert fresh(work).last_chapter_id == chapter.pk


def test_editing_a_chapter_recounts(alice):
    work = make_work(author=alice, chapters=2, text="<p>one two three</p>")
    chapter = work.chapters.get(position=2)
    actions.do_update_chapter(chapter, chapter_input("<p>just one more word here</p>"))
    assert Chapter.objects.get(pk=chapter.pk).word_count == 5
    assert fresh(work).word_count == 8


def test_deleting_a_chapter_recounts_and_renumbers(alice):
    work = make_work(author=alice, chapters=3, text="<p>one two</p>")
    actions.do_delete_chapter(work.chapters.get(position=1))
    assert list(work.chapters.values_list("title", "position")) == [("Part 2", 1), ("Part 3", 2)]
    assert (fresh(work).word_count, fresh(work).posted_chapter_count) == (4, 2)


def test_the_count_follows_ao3s_rules(alice):
    work = make_work(author=alice, text="<p>one</p>two<br>three don't arm-rest 一个简单の栗子")
    assert work.word_count == 12


# Derived fields -----------------------------------------------------------------------------


def test_creating_a_work_makes_its_stats_row_and_credits_its_pseuds_in_order(alice):
    lizzy = do_create_pseud(alice, "Lizzy")
    default = alice.pseuds.get(is_default=True)
    work = make_work(author=alice, pseuds=[lizzy, default])
    assert WorkStats.objects.filter(work=work).exists()
    assert [c.pseud for c in work.creatorships.order_by("position")] == [lizzy, default]


def test_a_posted_work_gets_its_dates(alice):
    work = make_work(author=alice)
    assert work.published_at == work.revised_at.date()
    assert work.chapters.get().published_at == work.published_at


def test_adding_a_posted_chapter_updates_the_date_updated(alice):
    work = make_work(author=alice, expected_chapters=2)
    Work.objects.filter(pk=work.pk).update(
        revised_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    work.refresh_from_db()
    actions.do_add_chapter(work, chapter_input("<p>More text here.</p>"), post=True)
    assert fresh(work).revised_at.year > 2020
    assert fresh(work).complete


def test_completion_follows_the_expected_chapters(alice):
    work = make_work(author=alice, chapters=2, expected_chapters=3)
    assert not work.complete
    actions.do_add_chapter(work, chapter_input("<p>The end of it.</p>"), post=True)
    assert fresh(work).complete


def test_a_draft_chapter_on_a_one_shot_makes_it_chaptered(alice):
    work = make_work(author=alice)
    actions.do_add_chapter(work, chapter_input("<p>Maybe a sequel.</p>"), post=False)
    work = fresh(work)
    assert (work.expected_chapters, work.posted_chapter_count) == (2, 1)
    assert not work.is_oneshot and not work.complete


@pytest.mark.parametrize(
    ("rating", "adult"),
    [
        ("General Audiences", False),
        ("Teen And Up Audiences", False),
        ("Mature", True),
        ("Explicit", True),
        ("Not Rated", True),
    ],
)
def test_the_adult_flag_follows_the_rating(alice, rating, adult):
    assert make_work(author=alice, rating=rating).adult is adult


def test_reordering_needs_every_chapter_exactly_once(alice):
    work = make_work(author=alice, chapters=3)
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    with pytest.raises(ValueError, match="every chapter exactly once"):
        actions.do_reorder_chapters(work, ids[:2])
    with pytest.raises(ValueError, match="every chapter exactly once"):
        actions.do_reorder_chapters(work, [ids[0], ids[0], ids[1]])
    actions.do_reorder_chapters(work, list(reversed(ids)))
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == ids[::-1]


def test_reordering_moves_the_last_chapter_link(alice):
    work = make_work(author=alice, chapters=3)
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    actions.do_reorder_chapters(work, [ids[2], ids[0], ids[1]])
    assert fresh(work).last_chapter_id == ids[1]


# Versions: every change to what the page shows bumps it ----------------------------------


def test_every_change_to_the_page_bumps_the_version(alice):
    work = make_work(author=alice, chapters=2, expected_chapters=None)
    seen = [fresh(work).version]

    def bumped() -> bool:
        seen.append(fresh(work).version)
        return seen[-1] > seen[-2]

    chapter = actions.do_add_chapter(work, chapter_input("<p>Draft chapter.</p>"), post=False)
    assert bumped()
    actions.do_update_chapter(chapter, chapter_input("<p>Changed draft.</p>"))
    assert bumped()
    actions.do_post_chapter(chapter)
    assert bumped()
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    actions.do_reorder_chapters(work, ids[::-1])
    assert bumped()
    actions.do_delete_chapter(Chapter.objects.get(pk=ids[0]))
    assert bumped()


def test_renaming_a_pseud_bumps_its_works_only(alice, bob):
    hers = make_work(author=alice)
    his = make_work(author=bob)
    pseud = alice.pseuds.get(is_default=True)
    do_update_pseud(pseud, name="Alice B.", description="")
    assert fresh(hers).version == hers.version + 1
    assert fresh(his).version == his.version
    do_update_pseud(pseud, name="Alice B.", description="Only the description.")
    assert fresh(hers).version == hers.version + 1


def test_renaming_a_series_bumps_every_member(alice):
    one = make_work(author=alice, new_series_title="Saga")
    series = one.series.get()
    two = make_work(author=alice, series=series)
    other = make_work(author=alice)
    actions.do_update_series(series, title="Saga II", summary="", notes="", complete=False)
    assert fresh(one).version > one.version
    assert fresh(two).version > two.version
    assert fresh(other).version == other.version


def test_deleting_a_work_bumps_the_rest_of_its_series(alice):
    one = make_work(author=alice, new_series_title="Saga")
    series = one.series.get()
    two = make_work(author=alice, series=series)
    version = fresh(one).version
    actions.do_delete_work(two)
    assert fresh(one).version > version
    assert list(SerialWork.objects.filter(series=series).values_list("work_id", flat=True)) == [
        one.pk
    ]


# Series positions ---------------------------------------------------------------------------


def test_series_positions_stay_without_gaps(alice):
    first = make_work(author=alice, title="A", new_series_title="Saga")
    series = first.series.get()
    make_work(author=alice, title="B", series=series)
    make_work(author=alice, title="C", series=series, series_position=1)
    make_work(author=alice, title="D", series=series, series_position=3)
    rows = SerialWork.objects.filter(series=series).order_by("position")
    assert [(row.work.title, row.position) for row in rows] == [
        ("C", 1),
        ("A", 2),
        ("D", 3),
        ("B", 4),
    ]


def test_a_deferred_refresh_runs_the_filter_rebuild_and_reindex_once_at_its_end(alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quire.search.models import WorkDoc
    from quire.tags.models import FilterTagging
    from quire.works.versions import deferred_work_refresh

    def state(work_id):
        return (
            Work.objects.values_list("version", "crossover").get(pk=work_id),
            sorted(FilterTagging.objects.filter(work_id=work_id).values_list("tag_id", flat=True)),
            WorkDoc.objects.filter(work_id=work_id).values_list("text_digest", "tags").get(),
        )

    fandoms = ("Pride and Prejudice - Jane Austen", "Little Women - Louisa May Alcott")
    alone = [make_work(author=alice, title=f"Alone {n}", fandoms=fandoms) for n in range(2)]
    with deferred_work_refresh():
        with CaptureQueriesContext(connection) as inside:
            together = [
                make_work(author=alice, title=f"Alone {n}", fandoms=fandoms) for n in range(2)
            ]
        # Nothing derived yet: no filter rows, no index rows, the version not bumped.
        assert not FilterTagging.objects.filter(work__in=together).exists()
        assert not WorkDoc.objects.filter(work__in=together).exists()
    assert not any("search_workdoc" in query["sql"] for query in inside.captured_queries)
    # Then the same as writing each alone: version bumped once, filters, index row and text.
    for one, other in zip(alone, together, strict=True):
        assert state(one.pk) == state(other.pk)
        assert state(one.pk)[0] == (2, True)
