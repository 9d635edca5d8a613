"""Reading a work: /works/:id, /works/:id/chapters/:cid, /chapters/:cid and /works/:id/navigate
across the permission matrix (AO3.md §7, §8)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from quire.conftest import client_for
from quire.testing import chapter_input, make_work, parse, text_of
from quire.works.actions import do_add_chapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(alice):
    return {
        "posted": make_work(author=alice, title="Posted"),
        "draft": make_work(author=alice, title="Draft", posted=False),
        "restricted": make_work(author=alice, title="Restricted", restricted=True),
        "mature": make_work(author=alice, title="Mature", rating="Mature"),
        "explicit": make_work(author=alice, title="Explicit", rating="Explicit"),
        "not rated": make_work(author=alice, title="Unrated", rating="Not Rated"),
    }


# What each viewer sees of each work on every reading page: the work, the adult gate,
# a 404, or the login page AO3 sends guests to.
READING_MATRIX = {
    "guest": {
        "posted": "work",
        "draft": "404",
        "restricted": "login",
        "mature": "gate",
        "explicit": "gate",
        "not rated": "gate",
    },
    "bob": {
        "posted": "work",
        "draft": "404",
        "restricted": "work",
        "mature": "gate",
        "explicit": "gate",
        "not rated": "gate",
    },
    "alice": {
        "posted": "work",
        "draft": "work",
        "restricted": "work",
        "mature": "work",
        "explicit": "work",
        "not rated": "work",
    },
    "admin": {
        "posted": "work",
        "draft": "404",
        "restricted": "work",
        "mature": "gate",
        "explicit": "gate",
        "not rated": "gate",
    },
}


def outcome_of(response, path: str) -> str:
    if response.status_code == 404:
        return "404"
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        assert location.path == "/users/login"
        assert parse_qs(location.query) == {"restricted": ["true"], "return_to": [path]}
        return "login"
    assert response.status_code == 200
    doc = parse(response)
    if doc.xpath("//div[contains(@class, 'caution')]"):
        assert not doc.xpath("//div[@id='workskin']")
        return "gate"
    assert doc.xpath("//div[@id='workskin']")
    return "work"


def walk(works, client, expectations, path_of) -> dict:
    """What `client` gets on each work's page, next to what the matrix says it should get."""
    seen = {}
    for kind in expectations:
        path = path_of(works[kind])
        seen[kind] = outcome_of(client.get(path), path)
    return seen


@pytest.mark.parametrize("viewer", list(READING_MATRIX))
def test_the_work_page_follows_the_matrix(works, viewers, viewer):
    expected = READING_MATRIX[viewer]
    seen = walk(works, viewers[viewer], expected, lambda work: f"/works/{work.pk}")
    assert seen == expected


@pytest.mark.parametrize("viewer", list(READING_MATRIX))
def test_the_chapter_page_follows_the_matrix(works, viewers, viewer):
    expected = READING_MATRIX[viewer]
    seen = walk(
        works,
        viewers[viewer],
        expected,
        lambda work: f"/works/{work.pk}/chapters/{work.chapters.get().pk}",
    )
    assert seen == expected


@pytest.mark.parametrize("viewer", list(READING_MATRIX))
def test_the_short_chapter_url_follows_the_matrix(works, viewers, viewer):
    client = viewers[viewer]
    seen = {}
    for kind in READING_MATRIX[viewer]:
        work = works[kind]
        chapter = work.chapters.get()
        path = f"/chapters/{chapter.pk}"
        response = client.get(path)
        if response.status_code == 302 and response["Location"].startswith("/works/"):
            # Readable: on to the chapter's full address, where the gate (if any) stands.
            path = f"/works/{work.pk}/chapters/{chapter.pk}"
            assert response["Location"] == path
            response = client.get(path)
        seen[kind] = outcome_of(response, path)
    assert seen == READING_MATRIX[viewer]


@pytest.mark.parametrize("viewer", list(READING_MATRIX))
def test_the_chapter_index_follows_the_matrix(works, viewers, viewer):
    # AO3 shows the chapter index of an adult work without the gate: it holds no text.
    expected = {
        kind: "index" if outcome in ("work", "gate") else outcome
        for kind, outcome in READING_MATRIX[viewer].items()
    }
    seen = {}
    for kind in expected:
        path = f"/works/{works[kind].pk}/navigate"
        response = viewers[viewer].get(path)
        if response.status_code == 200:
            assert parse(response).xpath("//ol[@class='chapter index group']")
            seen[kind] = "index"
        else:
            seen[kind] = outcome_of(response, path)
    assert seen == expected


def test_a_missing_work_is_a_404_for_everyone(viewers):
    for client in viewers.values():
        assert client.get("/works/999999").status_code == 404
        assert client.get("/works/999999/navigate").status_code == 404
        assert client.get("/chapters/999999").status_code == 404


def test_the_login_page_a_guest_is_sent_to_says_why(works, client):
    response = client.get(f"/works/{works['restricted'].pk}", follow=True)
    doc = parse(response)
    assert "This work is only available to registered users of the Archive" in text_of(doc)
    assert doc.xpath("//form[@id='new_user']")


def test_a_restricted_chapter_sends_guests_to_log_in_with_the_full_path(alice, client):
    work = make_work(author=alice, restricted=True, chapters=2)
    chapter = work.chapters.order_by("position").last()
    path = f"/works/{work.pk}/chapters/{chapter.pk}"
    response = client.get(f"{path}?view_adult=true")
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["return_to"] == [f"{path}?view_adult=true"]


# Chaptered works ------------------------------------------------------------------------


@pytest.fixture
def chaptered(alice):
    return make_work(author=alice, title="Long Road", chapters=3)


def test_a_chaptered_work_redirects_to_its_first_chapter(chaptered, client):
    first = chaptered.chapters.get(position=1)
    response = client.get(f"/works/{chaptered.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/works/{chaptered.pk}/chapters/{first.pk}"


def test_the_first_chapter_redirect_keeps_the_query(chaptered, client):
    first = chaptered.chapters.get(position=1)
    response = client.get(f"/works/{chaptered.pk}?style=disable")
    assert response["Location"] == f"/works/{chaptered.pk}/chapters/{first.pk}?style=disable"


def test_view_full_work_shows_every_chapter_on_one_page(chaptered, client):
    response = client.get(f"/works/{chaptered.pk}?view_full_work=true")
    assert response.status_code == 200
    doc = parse(response)
    assert [div.get("id") for div in doc.xpath("//div[@id='chapters']/div")] == [
        "chapter-1",
        "chapter-2",
        "chapter-3",
    ]


def test_a_one_shot_never_redirects(works, client):
    assert client.get(f"/works/{works['posted'].pk}").status_code == 200


def test_a_work_with_one_posted_chapter_of_several_does_not_redirect(alice, client):
    work = make_work(author=alice, expected_chapters=3)
    do_add_chapter(work, chapter_input("<p>Not yet, not yet.</p>"), post=False)
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_a_chapter_page_shows_only_that_chapter(chaptered, client):
    second = chaptered.chapters.get(position=2)
    doc = parse(client.get(f"/works/{chaptered.pk}/chapters/{second.pk}"))
    assert [div.get("id") for div in doc.xpath("//div[@id='chapters']/div")] == ["chapter-2"]
    assert (
        doc.xpath("//li[contains(@class, 'previous')]/a/@href")
        == [f"/works/{chaptered.pk}/chapters/{chaptered.chapters.get(position=1).pk}"] * 2
    )


def test_a_chapter_of_another_work_is_a_404(chaptered, works, client):
    other = works["posted"].chapters.get()
    assert client.get(f"/works/{chaptered.pk}/chapters/{other.pk}").status_code == 404


def test_draft_chapters_are_shown_to_their_creator_only(chaptered, alice, bob, client):
    draft = do_add_chapter(chaptered, chapter_input("<p>Not ready yet at all.</p>"), post=False)
    path = f"/works/{chaptered.pk}/chapters/{draft.pk}"
    assert client.get(path).status_code == 404
    assert client_for(bob).get(path).status_code == 404
    assert client.get(f"/chapters/{draft.pk}").status_code == 404
    response = client_for(alice).get(path)
    assert response.status_code == 200
    assert "This chapter is a draft" in text_of(parse(response))


def test_draft_chapters_are_left_out_of_the_full_work_for_readers(chaptered, alice, client):
    do_add_chapter(chaptered, chapter_input("<p>Secret fourth part.</p>"), post=False)
    guest_doc = parse(client.get(f"/works/{chaptered.pk}?view_full_work=true"))
    assert len(guest_doc.xpath("//div[@id='chapters']/div[@class='chapter']")) == 3
    assert "Secret fourth part" not in text_of(guest_doc)
    alice_doc = parse(client_for(alice).get(f"/works/{chaptered.pk}?view_full_work=true"))
    assert len(alice_doc.xpath("//div[@id='chapters']/div[@class='chapter']")) == 4


def test_the_short_chapter_url_keeps_the_query(chaptered, client):
    second = chaptered.chapters.get(position=2)
    response = client.get(f"/chapters/{second.pk}?view_adult=true")
    assert response["Location"] == f"/works/{chaptered.pk}/chapters/{second.pk}?view_adult=true"


# Navigate -------------------------------------------------------------------------------


def test_navigate_works_for_a_one_shot(works, client):
    work = works["posted"]
    doc = parse(client.get(f"/works/{work.pk}/navigate"))
    links = doc.xpath("//ol[@class='chapter index group']/li/a")
    assert [(a.get("href"), a.text) for a in links] == [
        (f"/works/{work.pk}/chapters/{work.chapters.get().pk}", "1. Chapter 1")
    ]


def test_navigate_lists_draft_chapters_to_their_creator_only(chaptered, alice, client):
    do_add_chapter(chaptered, chapter_input("<p>Secret fourth part.</p>"), post=False)
    guest = parse(client.get(f"/works/{chaptered.pk}/navigate"))
    assert len(guest.xpath("//ol[@class='chapter index group']/li")) == 3
    creator = parse(client_for(alice).get(f"/works/{chaptered.pk}/navigate"))
    items = creator.xpath("//ol[@class='chapter index group']/li")
    assert len(items) == 4
    assert text_of(items[-1]).endswith("(Draft)")


# Parameters AO3's tools add to every URL -----------------------------------------------

TOLERATED = "view_adult=true&view_full_work=true&style=disable&page=3"


def test_every_reading_page_tolerates_ao3s_parameters(works, chaptered, alice, viewers):
    mature = works["mature"]
    second = chaptered.chapters.get(position=2)
    series = make_work(author=alice, title="In a Series", new_series_title="Saga").series.get()
    paths = [
        f"/works/{works['posted'].pk}",
        f"/works/{mature.pk}",
        f"/works/{chaptered.pk}",
        f"/works/{chaptered.pk}/chapters/{second.pk}",
        f"/works/{chaptered.pk}/navigate",
        f"/chapters/{second.pk}",
        "/works",
        "/users/alice/works",
        "/users/alice/pseuds/alice/works",
        "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works",
        "/users/alice",
        "/users/alice/pseuds",
        "/users/alice/pseuds/alice",
        f"/series/{series.pk}",
        "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen",
        "/users/login",
        "/signup",
        "/token_dispenser.json",
        "/",
    ]
    for viewer, client in viewers.items():
        for path in paths:
            response = client.get(f"{path}?{TOLERATED}", follow=True)
            assert response.status_code == 200, (viewer, path)
            assert "could have adult content" not in response.content.decode(), (viewer, path)


def test_creator_pages_tolerate_ao3s_parameters(works, chaptered, alice):
    client = client_for(alice)
    series = make_work(author=alice, title="In a Series", new_series_title="Saga").series.get()
    second = chaptered.chapters.get(position=2)
    for path in (
        f"/works/{chaptered.pk}/edit",
        f"/works/{chaptered.pk}/preview",
        f"/works/{chaptered.pk}/confirm_delete",
        f"/works/{chaptered.pk}/chapters/new",
        f"/works/{chaptered.pk}/chapters/manage",
        f"/works/{chaptered.pk}/chapters/{second.pk}/edit",
        f"/works/{chaptered.pk}/chapters/{second.pk}/confirm_delete",
        "/users/alice/works/drafts",
        "/users/alice/preferences",
        "/users/alice/pseuds/new",
        "/users/alice/pseuds/alice/edit",
        "/works/new",
        f"/series/{series.pk}/edit",
    ):
        assert client.get(f"{path}?{TOLERATED}").status_code == 200, path


def test_style_disable_offers_the_creators_style_back(works, client):
    doc = parse(client.get(f"/works/{works['posted'].pk}?style=disable"))
    assert doc.xpath("//li[@class='style']/a/@href") == ["?style=enable"]
