"""Series: posting into one, /series/:id, its edit form, and the series links on work pages."""

import pytest

from quire.testing import (
    assert_form_shows,
    make_work,
    parse,
    row_counts,
    text_of,
    work_form_data,
)
from quire.works.models import SerialWork, Series, Work

pytestmark = pytest.mark.django_db


def positions(series) -> list[tuple[str, int]]:
    return list(
        SerialWork.objects.filter(series=series)
        .order_by("position")
        .values_list("work__title", "position")
    )


# Posting into a series ----------------------------------------------------------------------


def test_posting_into_a_new_series_creates_it_with_the_work_first(alice, viewers):
    data = work_form_data(alice, title="One", new_series_title="The Bennet Letters")
    assert viewers["alice"].post("/works/new", data).status_code == 302
    series = Series.objects.get()
    assert series.title == "The Bennet Letters"
    assert list(series.pseuds.all()) == [alice.pseuds.get(is_default=True)]
    assert positions(series) == [("One", 1)]


def test_posting_into_an_existing_series_adds_at_the_end(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    data = work_form_data(alice, title="Two", series=series.pk)
    viewers["alice"].post("/works/new", data)
    assert positions(series) == [("One", 1), ("Two", 2)]


def test_posting_at_a_position_moves_the_later_works_along(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    make_work(author=alice, title="Three", series=series)
    data = work_form_data(alice, title="Two", series=series.pk, series_position="2")
    viewers["alice"].post("/works/new", data)
    assert positions(series) == [("One", 1), ("Two", 2), ("Three", 3)]


def test_a_position_past_the_end_means_the_end(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    data = work_form_data(alice, title="Two", series=series.pk, series_position="9")
    viewers["alice"].post("/works/new", data)
    assert positions(series) == [("One", 1), ("Two", 2)]


def test_editing_a_works_position_reorders_the_series(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    make_work(author=alice, title="Two", series=series)
    three = make_work(author=alice, title="Three", series=series)
    data = work_form_data(alice, title="Three", series=series.pk, series_position="1")
    assert viewers["alice"].post(f"/works/{three.pk}/edit", data).status_code == 302
    assert positions(series) == [("Three", 1), ("One", 2), ("Two", 3)]


def test_nobody_can_post_into_someone_elses_series(alice, bob, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    data = work_form_data(bob, title="Intruder", series=series.pk)
    before = row_counts(Work, SerialWork)
    response = viewers["bob"].post("/works/new", data)
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(parse(response))
    assert row_counts(Work, SerialWork) == before


def test_choosing_a_series_and_naming_a_new_one_is_rejected(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    data = work_form_data(alice, title="Two", series=series.pk, new_series_title="Other")
    before = row_counts(Work, Series, SerialWork)
    response = viewers["alice"].post("/works/new", data)
    doc = parse(response)
    assert "Choose an existing series or name a new one, not both." in text_of(doc)
    assert_form_shows(doc, data)
    assert row_counts(Work, Series, SerialWork) == before


def test_a_bad_series_position_is_rejected(alice, viewers):
    series = make_work(author=alice, title="One", new_series_title="Letters").series.get()
    for position in ("0", "first"):
        data = work_form_data(alice, title="Two", series=series.pk, series_position=position)
        response = viewers["alice"].post("/works/new", data)
        assert response.status_code == 200
        assert parse(response).xpath("//div[contains(@class, 'flash error')]")
        assert_form_shows(parse(response), data)
    assert positions(series) == [("One", 1)]


# /series/:id -------------------------------------------------------------------------------


@pytest.fixture
def series(alice):
    """Five parts: posted, draft, restricted, posted, posted."""
    first = make_work(author=alice, title="Part One", new_series_title="Letters")
    series = first.series.get()
    make_work(author=alice, title="Part Two (draft)", series=series, posted=False)
    make_work(author=alice, title="Part Three (restricted)", series=series, restricted=True)
    make_work(author=alice, title="Part Four", series=series)
    make_work(author=alice, title="Part Five", series=series)
    return series


def series_titles(response) -> list[str]:
    return [
        text_of(a)
        for a in parse(response).xpath("//ul[@class='series work index group']/li//h4/a[1]")
    ]


def test_the_series_page_lists_its_works_in_order_as_each_viewer_may_see(series, viewers):
    guest = ["Part One", "Part Four", "Part Five"]
    reader = ["Part One", "Part Three (restricted)", "Part Four", "Part Five"]
    expected = {"guest": guest, "bob": reader, "alice": reader, "admin": reader}
    for viewer, titles in expected.items():
        response = viewers[viewer].get(f"/series/{series.pk}")
        assert response.status_code == 200, viewer
        assert series_titles(response) == titles, viewer


def test_the_series_stats_count_only_what_the_viewer_may_see(series, viewers):
    for viewer, works in (("guest", "3"), ("bob", "4")):
        doc = parse(viewers[viewer].get(f"/series/{series.pk}"))
        stats = doc.xpath("//dl[@class='series meta group']/dd[@class='stats']/dl")[0]
        assert stats.xpath("dd[@class='works']/text()") == [works]
        words = Work.objects.filter(
            title__in=series_titles(viewers[viewer].get(f"/series/{series.pk}"))
        ).values_list("word_count", flat=True)
        assert stats.xpath("dd[@class='words']/text()") == [f"{sum(words):,}"]


def test_the_series_page_is_marked_up_as_ao3s(series, viewers):
    doc = parse(viewers["guest"].get(f"/series/{series.pk}"))
    assert doc.xpath("//div[@id='main']/@class") == ["series-show region"]
    assert text_of(doc.xpath("//div[@id='main']/h2[@class='heading']")[0]) == "Letters"
    meta = doc.xpath("//dl[@class='series meta group']")[0]
    assert [text_of(dt) for dt in meta.xpath("dt")] == [
        "Creator:",
        "Series Begun:",
        "Series Updated:",
        "Stats:",
    ]
    creator = meta.xpath("dd[1]/a[@rel='author']")
    assert [(a.get("href"), a.text) for a in creator] == [("/users/alice/pseuds/alice", "alice")]
    stats = meta.xpath("dd[@class='stats']/dl[@class='stats']")[0]
    assert [text_of(dt) for dt in stats.xpath("dt")] == ["Words:", "Works:", "Complete:"]
    assert stats.xpath("dd[3]/text()") == ["No"]
    blurbs = doc.xpath("//ul[@class='series work index group']/li")
    assert all("work blurb group" in li.get("class") for li in blurbs)


def test_a_series_of_only_drafts_is_its_creators_alone(alice, viewers):
    series = make_work(author=alice, new_series_title="Secret", posted=False).series.get()
    assert viewers["alice"].get(f"/series/{series.pk}").status_code == 200
    for viewer in ("guest", "bob", "admin"):
        assert viewers[viewer].get(f"/series/{series.pk}").status_code == 404, viewer


def test_a_series_of_only_restricted_works_is_hidden_from_guests(alice, viewers):
    series = make_work(author=alice, new_series_title="Members", restricted=True).series.get()
    assert viewers["guest"].get(f"/series/{series.pk}").status_code == 404
    assert viewers["bob"].get(f"/series/{series.pk}").status_code == 200


def test_a_missing_series_is_a_404(viewers):
    assert viewers["alice"].get("/series/999999").status_code == 404


# Series links on the work page --------------------------------------------------------------


def series_links(response) -> dict:
    doc = parse(response)
    span = doc.xpath("//dd[@class='series']/span[@class='series']")[0]
    return {
        "previous": span.xpath("a[@class='previous']/@href"),
        "position": text_of(span.xpath("span[@class='position']")[0]),
        "series": span.xpath("span[@class='position']/a/@href"),
        "next": span.xpath("a[@class='next']/@href"),
    }


def test_previous_and_next_skip_works_the_viewer_cannot_see(series, viewers):
    works = {w.title: w for w in Work.objects.filter(serial_works__series=series)}
    one, three, four = works["Part One"], works["Part Three (restricted)"], works["Part Four"]
    guest = series_links(viewers["guest"].get(f"/works/{one.pk}"))
    assert guest == {
        "previous": [],
        "position": "Part 1 of Letters",
        "series": [f"/series/{series.pk}"],
        "next": [f"/works/{four.pk}"],
    }
    assert series_links(viewers["bob"].get(f"/works/{one.pk}"))["next"] == [f"/works/{three.pk}"]
    back = series_links(viewers["guest"].get(f"/works/{four.pk}"))
    assert back["previous"] == [f"/works/{one.pk}"]
    assert back["position"] == "Part 4 of Letters"
    last = series_links(viewers["guest"].get(f"/works/{works['Part Five'].pk}"))
    assert last["next"] == []


def test_the_series_link_text_reads_as_ao3s(series, viewers):
    one = Work.objects.get(title="Part One")
    doc = parse(viewers["guest"].get(f"/works/{one.pk}"))
    span = doc.xpath("//dd[@class='series']/span[@class='series']")[0]
    assert text_of(span) == "Part 1 of Letters Next Work →"
    module = doc.xpath("//div[@id='series'][@class='series module']")[0]
    assert "Part 1 of Letters" in text_of(module)


def test_the_blurb_names_the_series_and_part(series, viewers):
    doc = parse(viewers["guest"].get("/works"))
    four = Work.objects.get(title="Part Four")
    item = doc.xpath(f"//li[@id='work_{four.pk}']/ul[@class='series']/li")[0]
    assert text_of(item) == "Part 4 of Letters"
    assert item.xpath("strong/text()") == ["4"]
    assert item.xpath("a/@href") == [f"/series/{series.pk}"]


# Edit ----------------------------------------------------------------------------------------


def test_only_the_series_creator_may_edit_it(series, viewers):
    path = f"/series/{series.pk}/edit"
    assert viewers["alice"].get(path).status_code == 200
    assert viewers["guest"].get(path)["Location"] == f"/users/login?next={path}"
    for viewer in ("bob", "admin"):
        assert viewers[viewer].get(path).status_code == 404, viewer
        response = viewers[viewer].post(path, {"title": "Defaced", "summary": "", "notes": ""})
        assert response.status_code == 404, viewer
    series.refresh_from_db()
    assert series.title == "Letters"


def test_the_edit_link_is_shown_to_the_creator_only(series, viewers):
    link = f"//a[@href='/series/{series.pk}/edit']"
    assert parse(viewers["alice"].get(f"/series/{series.pk}")).xpath(link)
    assert not parse(viewers["bob"].get(f"/series/{series.pk}")).xpath(link)


def test_a_renamed_series_shows_on_its_page_its_works_and_their_blurbs(series, viewers):
    one = Work.objects.get(title="Part One")
    guest = viewers["guest"]
    guest.get(f"/works/{one.pk}")
    guest.get("/works")  # fills the fragment caches
    data = {"title": "The Letters", "summary": "All of them.", "notes": "", "complete": "on"}
    response = viewers["alice"].post(f"/series/{series.pk}/edit", data)
    assert response["Location"] == f"/series/{series.pk}"
    doc = parse(guest.get(f"/series/{series.pk}"))
    assert text_of(doc.xpath("//h2[@class='heading']")[0]) == "The Letters"
    assert "All of them." in text_of(doc.xpath("//dl[@class='series meta group']")[0])
    assert doc.xpath("//dd[@class='stats']//dd[3]/text()") == ["Yes"]
    assert series_links(guest.get(f"/works/{one.pk}"))["position"] == "Part 1 of The Letters"
    blurb = parse(guest.get("/works")).xpath(f"//li[@id='work_{one.pk}']/ul[@class='series']")
    assert text_of(blurb[0]) == "Part 1 of The Letters"


SERIES_BAD_INPUT = {
    "title_missing": ({"title": ""}, "This field is required."),
    "title_only_markup": ({"title": "<i></i>"}, "Please enter a title."),
    "title_too_long": ({"title": "S" * 256}, "at most 255 characters (it has 256)"),
    "description_too_long": ({"summary": "d" * 1251}, "at most 1250 characters (it has 1251)"),
    "notes_too_long": ({"notes": "n" * 5001}, "at most 5000 characters (it has 5001)"),
}


@pytest.mark.parametrize("case", list(SERIES_BAD_INPUT))
def test_a_bad_series_edit_is_rejected_kept_and_changes_nothing(series, viewers, case):
    changes, message = SERIES_BAD_INPUT[case]
    data = {"title": "Typed", "summary": "Typed description", "notes": "Typed notes", **changes}
    response = viewers["alice"].post(f"/series/{series.pk}/edit", data)
    assert response.status_code == 200
    doc = parse(response)
    assert message in text_of(doc.xpath("//div[contains(@class, 'flash error')]")[0])
    assert_form_shows(doc, data)
    fresh = Series.objects.get(pk=series.pk)
    assert (fresh.title, fresh.summary, fresh.notes) == ("Letters", "", "")


# One door: the page, its bookmarks and its download ask access_series ----------------------

SERIES_DOOR = {
    # kind of series -> viewer -> what every series read answers
    "public": {"guest": 200, "bob": 200, "alice": 200, "admin": 200},
    "restricted": {"guest": 404, "bob": 200, "alice": 200, "admin": 200},
    "drafts": {"guest": 404, "bob": 404, "alice": 200, "admin": 404},
}


@pytest.fixture
def door_series(alice):
    return {
        "public": make_work(author=alice, new_series_title="Public").series.get(),
        "restricted": make_work(
            author=alice, new_series_title="Members", restricted=True
        ).series.get(),
        "drafts": make_work(author=alice, new_series_title="Drafts", posted=False).series.get(),
    }


@pytest.mark.parametrize("viewer", ["guest", "bob", "alice", "admin"])
def test_every_series_read_goes_through_the_one_door(door_series, viewers, viewer):
    client = viewers[viewer]
    for kind, series in door_series.items():
        expected = SERIES_DOOR[kind][viewer]
        assert client.get(f"/series/{series.pk}").status_code == expected, kind
        assert client.get(f"/series/{series.pk}/bookmarks").status_code == expected, kind
        download = client.get(f"/downloads/series/{series.pk}/Any.epub")
        # A series of drafts has nothing to download, even for its creator.
        assert download.status_code == (404 if kind == "drafts" else expected), kind


def test_only_the_series_creator_passes_the_edit_door(door_series, viewers):
    for kind, series in door_series.items():
        path = f"/series/{series.pk}/edit"
        assert viewers["alice"].get(path).status_code == 200, kind
        for viewer in ("bob", "admin"):
            assert viewers[viewer].get(path).status_code == 404, (kind, viewer)
