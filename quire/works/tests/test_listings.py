"""Listings: /works, /users/:login/works, /users/:login/pseuds/:pseud/works, /tags/:tag/works
and the drafts page. Drafts are never listed; restricted works are never listed or counted
for guests (AO3.md §3)."""

import datetime

import pytest
from django.utils import timezone

from quire.accounts.actions import do_create_pseud
from quire.tags.actions import do_find_or_create_tags, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, set_work_fields, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"
FANDOM_URL = "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen/works"


def make_canonical(name: str, tag_type=TagType.FANDOM) -> None:
    """Only a canonical tag's /works lists works; an unwrangled one's page does (AO3.md §8)."""
    tag = tag_by_name(name) or do_find_or_create_tags([name], tag_type)[0]
    do_set_canonical(tag, True)


@pytest.fixture
def works(alice):
    make_canonical(FANDOM)
    return {
        "posted": make_work(author=alice, title="Posted"),
        "draft": make_work(author=alice, title="Draft", posted=False),
        "restricted": make_work(author=alice, title="Restricted", restricted=True),
        "adult": make_work(author=alice, title="Adult", rating="Explicit"),
    }


def listed_titles(response) -> list[str]:
    doc = parse(response)
    return [text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]")]


def heading(response) -> str:
    return text_of(parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0])


LISTINGS = ["/works", "/users/alice/works", "/users/alice/pseuds/alice/works", FANDOM_URL]
# Newest first; drafts for nobody, restricted for logged-in readers only.
EXPECTED = {
    "guest": ["Adult", "Posted"],
    "bob": ["Adult", "Restricted", "Posted"],
    "alice": ["Adult", "Restricted", "Posted"],
    "admin": ["Adult", "Restricted", "Posted"],
}


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_every_listing_shows_what_the_viewer_may_see(works, viewers, viewer):
    for path in LISTINGS:
        response = viewers[viewer].get(path)
        assert response.status_code == 200, path
        assert listed_titles(response) == EXPECTED[viewer], path
        count = len(EXPECTED[viewer])
        assert heading(response).startswith(f"{count} Works"), path


def test_restricted_works_are_not_counted_for_guests_on_the_tag_page(works, viewers):
    assert "2 Works" in text_of(parse(viewers["guest"].get(FANDOM_URL[: -len("/works")])))
    assert "3 Works" in text_of(parse(viewers["bob"].get(FANDOM_URL[: -len("/works")])))


def test_drafts_are_not_on_the_home_page_either(works, viewers):
    for viewer, client in viewers.items():
        doc = parse(client.get("/"))
        titles = [text_of(a) for a in doc.xpath("//li[contains(@class, 'blurb')]//h4/a[1]")]
        assert "Draft" not in titles, viewer
        assert ("Restricted" in titles) == (viewer != "guest"), viewer


def test_the_dashboard_counts_only_what_the_viewer_may_see(alice, viewers):
    for number in range(6):
        make_work(author=alice, title=f"Public {number}")
    make_work(author=alice, title="Members", restricted=True)
    make_work(author=alice, title="Unfinished", posted=False)
    assert "All works (6)" in text_of(parse(viewers["guest"].get("/users/alice")))
    assert "All works (7)" in text_of(parse(viewers["bob"].get("/users/alice")))


def test_the_headings_name_the_listing(works, viewers):
    client = viewers["bob"]
    assert heading(client.get("/works")) == "3 Works"
    assert heading(client.get("/users/alice/works")) == "3 Works by alice"
    assert heading(client.get("/users/alice/pseuds/alice/works")) == "3 Works by alice"
    doc = parse(client.get(FANDOM_URL))
    h2 = doc.xpath("//div[@id='main']/h2[@class='heading']")[0]
    assert text_of(h2) == f"3 Works in {FANDOM}"
    assert h2.xpath("a[@class='tag']/@href") == [
        "/tags/Pride%20and%20Prejudice%20-%20Jane%20Austen"
    ]


def test_one_work_is_one_work(alice, client):
    make_work(author=alice)
    assert heading(client.get("/works")) == "1 Work"
    assert heading(client.get("/users/alice/works")) == "1 Work by alice"


def test_an_empty_listing_says_so(alice, client):
    response = client.get("/users/alice/works")
    assert heading(response) == "0 Works by alice"
    assert parse(response).xpath("//ol[@class='work index group']/li[@class='empty']")


def test_a_pseuds_listing_shows_only_that_pseuds_works(alice, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    make_work(author=alice, title="As Alice")
    make_work(author=alice, title="As Lizzy", pseuds=[lizzy])
    assert listed_titles(client.get("/users/alice/pseuds/Lizzy/works")) == ["As Lizzy"]
    assert heading(client.get("/users/alice/pseuds/Lizzy/works")) == "1 Work by Lizzy (alice)"
    assert listed_titles(client.get("/users/alice/works")) == ["As Lizzy", "As Alice"]


def test_a_work_by_two_pseuds_of_one_user_is_listed_once(alice, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    work = make_work(author=alice, pseuds=[alice.pseuds.get(is_default=True), lizzy])
    response = client.get("/users/alice/works")
    assert listed_titles(response) == [work.title]
    assert heading(response) == "1 Work by alice"
    blurb = parse(response).xpath(f"//li[@id='work_{work.pk}']")[0]
    assert blurb.get("class") == f"work blurb group work-{work.pk} user-{alice.pk}"


def test_another_users_works_are_not_in_a_users_listing(alice, bob, client):
    make_work(author=alice, title="Hers")
    make_work(author=bob, title="His")
    assert listed_titles(client.get("/users/alice/works")) == ["Hers"]
    assert listed_titles(client.get("/users/bob/works")) == ["His"]
    assert listed_titles(client.get("/works")) == ["His", "Hers"]


def test_unknown_users_pseuds_and_tags_are_404s(alice, client):
    make_work(author=alice)
    assert client.get("/users/nobody/works").status_code == 404
    assert client.get("/users/alice/pseuds/nobody/works").status_code == 404
    assert client.get("/tags/No%20Such%20Tag/works").status_code == 404
    assert client.get("/tags/No%20Such%20Tag").status_code == 404


def test_login_and_pseud_in_urls_are_case_insensitive(alice, client):
    make_work(author=alice, title="Hers")
    assert listed_titles(client.get("/users/ALICE/works")) == ["Hers"]
    assert listed_titles(client.get("/users/alice/pseuds/ALICE/works")) == ["Hers"]


def test_listings_put_the_latest_update_first_and_break_ties_on_id(alice, client):
    now = timezone.now()
    old = make_work(author=alice, title="Old")
    tie_a = make_work(author=alice, title="Tie A")
    tie_b = make_work(author=alice, title="Tie B")
    new = make_work(author=alice, title="New")
    for work, days in ((old, 10), (tie_a, 5), (tie_b, 5), (new, 1)):
        set_work_fields(work, revised_at=now - datetime.timedelta(days=days))
    assert listed_titles(client.get("/works")) == ["New", "Tie B", "Tie A", "Old"]


def test_a_tag_listing_lists_the_tag_and_the_escaped_url_finds_it(alice, client):
    make_work(author=alice, title="Slash", relationships=("Sherlock Holmes/John Watson",))
    make_work(author=alice, title="Other")
    make_canonical("Sherlock Holmes/John Watson")
    response = client.get("/tags/Sherlock%20Holmes*s*John%20Watson/works")
    assert listed_titles(response) == ["Slash"]
    assert heading(response) == "1 Work in Sherlock Holmes/John Watson"


def test_a_tag_with_every_escaped_character_round_trips(alice, client):
    name = "A/B & C. D? #E"
    make_work(author=alice, title="Odd", freeforms=(name,))
    doc = parse(client.get("/works"))
    href = doc.xpath("//li[@class='freeforms']/a/@href")[0]
    assert href == "/tags/A*s*B%20*a*%20C*d*%20D*q*%20*h*E/works"
    make_canonical(name)
    assert listed_titles(client.get(href)) == ["Odd"]


# Pagination -------------------------------------------------------------------------------


@pytest.fixture
def many(alice):
    now = timezone.now()
    works = [make_work(author=alice, title=f"Work {number:02}") for number in range(45)]
    for number, work in enumerate(works):
        set_work_fields(work, revised_at=now - datetime.timedelta(hours=number))
    return works


def test_listings_show_twenty_works_a_page(many, client):
    first = client.get("/works")
    assert heading(first) == "1 - 20 of 45 Works"
    assert listed_titles(first) == [f"Work {number:02}" for number in range(20)]
    third = client.get("/works?page=3")
    assert heading(third) == "41 - 45 of 45 Works"
    assert listed_titles(third) == [f"Work {number:02}" for number in range(40, 45)]
    assert heading(client.get("/users/alice/works?page=2")) == "21 - 40 of 45 Works by alice"


def test_pagination_is_marked_up_as_ao3s(many, client):
    doc = parse(client.get("/works?page=2"))
    navs = doc.xpath("//ol[@class='pagination actions pagy']")
    assert len(navs) == 2  # above and below the list
    nav = navs[0]
    assert nav.get("role") == "navigation"
    items = nav.xpath("li")
    assert items[0].get("class") == "previous"
    assert items[0].xpath("a/@href") == ["?page=1"]
    assert items[-1].get("class") == "next"
    assert items[-1].xpath("a/@href") == ["?page=3"]
    current = nav.xpath(".//a[@class='current']")
    assert [(a.text, a.get("aria-current")) for a in current] == [("2", "page")]
    assert nav.xpath("li[not(@class)]/a[not(@class)]/text()") == ["1", "3"]


def test_pagination_keeps_the_other_parameters(many, client):
    doc = parse(client.get("/works?view_adult=true&page=2"))
    assert doc.xpath("//li[@class='next']/a/@href")[0] == "?view_adult=true&page=3"


def test_a_page_past_the_end_or_not_a_number_still_lists(many, client):
    assert heading(client.get("/works?page=99")) == "41 - 45 of 45 Works"
    assert heading(client.get("/works?page=abc")) == "1 - 20 of 45 Works"
    assert heading(client.get("/works?page=-1")) == "41 - 45 of 45 Works"


def test_a_single_page_has_no_pagination(works, client):
    assert not parse(client.get("/works")).xpath("//ol[contains(@class, 'pagination')]")


# Drafts page ----------------------------------------------------------------------------


def test_the_drafts_page_lists_the_creators_drafts(works, alice, viewers):
    make_work(author=alice, title="Second Draft", posted=False, restricted=True)
    doc = parse(viewers["alice"].get("/users/alice/works/drafts"))
    titles = {text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/h4/a")}
    assert titles == {"Draft", "Second Draft"}


def test_nobody_else_sees_a_users_drafts(works, viewers):
    response = viewers["guest"].get("/users/alice/works/drafts")
    assert response["Location"] == "/users/login?next=/users/alice/works/drafts"
    assert viewers["bob"].get("/users/alice/works/drafts").status_code == 404
    assert viewers["admin"].get("/users/alice/works/drafts").status_code == 404


def test_another_users_drafts_are_not_on_ones_own_drafts_page(works, bob, viewers):
    make_work(author=bob, title="Bob's Draft", posted=False)
    text = text_of(parse(viewers["bob"].get("/users/bob/works/drafts")))
    assert "Bob's Draft" in text and "Draft" in text
    assert "Posted" not in text
    assert "A Quiet" not in text
