"""/tags/:tag and /tags/:tag/works (AO3.md §2, §8, §9): a tag's page names its type, status
and relatives; a canonical tag lists works through the filter table, a synonym sends readers
to its canonical, an unwrangled tag lists its own works on its page. Counts never include
what the viewer may not see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.tags.actions import (
    do_add_metatag,
    do_add_parent,
    do_find_or_create_tags,
    do_make_synonym,
    do_set_canonical,
)
from quire.tags.models import Tag, TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, text_of

from .wrangling_helpers import put_in_use

pytestmark = pytest.mark.django_db

FANDOM = "Sherlock (TV)"
# A tag's works listing: the tag, the facets (cached or counted), the page of ids, the
# blurbs, the sidebar's tag names and languages, and a logged-in reader's session, user and
# blocklist.
TAG_PAGE_BUDGET = 14
LISTING_BUDGET = 12


def canonical(name: str, tag_type=TagType.FREEFORM) -> Tag:
    tag = tag_by_name(name)
    if tag is None:
        (tag,) = do_find_or_create_tags([name], tag_type)
    return do_set_canonical(tag, True)


def tag_of(name: str, tag_type=TagType.FREEFORM) -> Tag:
    """A tag a posted work uses, so that others may see it (tags/audience.py)."""
    (tag,) = do_find_or_create_tags([name], tag_type)
    put_in_use(tag)
    return tag


def heading(response) -> str:
    return text_of(parse(response).xpath("//div[@id='main']//h2[@class='heading']")[0])


def listed_titles(response) -> list[str]:
    doc = parse(response)
    return [text_of(a) for a in doc.xpath("//ol[@class='work index group']/li/div/h4/a[1]")]


def section(doc, css: str) -> list[str]:
    """The tag names listed in the div of that class on a tag page."""
    return [text_of(a) for a in doc.xpath(f"//div[@class='{css}']/ul/li/a[@class='tag']")]


@pytest.fixture
def viewers(client, bob):
    return {"guest": client, "bob": client_for(bob)}


# /tags/:tag -----------------------------------------------------------------------------------


def test_a_canonical_tag_page_says_it_can_be_filtered_on(client):
    canonical("Sherlock Holmes", TagType.CHARACTER)
    doc = parse(client.get("/tags/Sherlock%20Holmes"))
    assert doc.xpath("//div[@id='main']/@class") == ["tags-show region"]
    assert text_of(doc.xpath("//div[@class='primary header module']/h2[@class='heading']")[0]) == (
        "Sherlock Holmes"
    )
    status = text_of(doc.xpath("//div[@class='tag home profile']/p")[0])
    assert status == (
        "This tag belongs to the Character Category. It's a common tag. You can use it to "
        "filter works."
    )
    assert doc.xpath("//a[text()='filter works']/@href") == ["/tags/Sherlock%20Holmes/works"]


def test_a_tag_page_lists_synonyms_parents_metatags_subtags_and_children(client):
    fandom = canonical(FANDOM, TagType.FANDOM)
    do_add_parent(fandom, Tag.objects.get(name="TV Shows"))
    sherlock = canonical("Sherlock Holmes", TagType.CHARACTER)
    do_add_parent(sherlock, fandom)
    do_make_synonym(tag_of("Holmes", TagType.CHARACTER), sherlock)
    do_make_synonym(tag_of("Sherlock", TagType.CHARACTER), sherlock)
    pair = tag_of("Sherlock Holmes/John Watson", TagType.RELATIONSHIP)
    do_add_parent(pair, fandom)
    do_add_parent(pair, sherlock)

    doc = parse(client.get("/tags/Sherlock%20Holmes"))
    assert section(doc, "synonym listbox group") == ["Holmes", "Sherlock"]
    assert section(doc, "parent listbox group") == [FANDOM]
    children = doc.xpath("//div[@class='child listbox group']")[0]
    assert text_of(children.xpath("div/h4")[0]) == "Relationships:"
    assert [text_of(a) for a in children.xpath(".//a")] == ["Sherlock Holmes/John Watson"]
    assert children.xpath(".//a/@href") == ["/tags/Sherlock%20Holmes*s*John%20Watson"]

    doc = parse(client.get("/tags/Sherlock%20(TV)"))
    # A fandom's parents are its media, in a box AO3 marks as the fandom's.
    assert section(doc, "parent fandom listbox group") == ["TV Shows"]
    groups = {
        text_of(group.xpath("h4")[0]): [text_of(a) for a in group.xpath(".//a")]
        for group in doc.xpath("//div[@class='child listbox group']/div")
    }
    assert groups == {
        "Characters:": ["Sherlock Holmes"],
        "Relationships:": ["Sherlock Holmes/John Watson"],
    }

    doc = parse(client.get("/tags/TV%20Shows"))
    assert [text_of(h) for h in doc.xpath("//div[@class='child listbox group']/div/h4")] == [
        "Fandoms:"
    ]


def test_a_tag_page_shows_metatags_and_subtags():
    au = canonical("Alternate Universe")
    modern = canonical("Alternate Universe - Modern")
    coffee = canonical("Alternate Universe - Coffee Shops")
    do_add_metatag(coffee, modern)
    do_add_metatag(modern, au)
    client = client_for(None)
    doc = parse(client.get("/tags/Alternate%20Universe%20-%20Modern"))
    assert [text_of(a) for a in doc.xpath("//div[@class='meta listbox group']//a")] == [
        "Alternate Universe"
    ]
    assert [text_of(a) for a in doc.xpath("//div[@class='sub listbox group']//a")] == [
        "Alternate Universe - Coffee Shops"
    ]


def test_a_synonym_page_names_its_canonical(client):
    sherlock = canonical("Sherlock Holmes", TagType.CHARACTER)
    do_make_synonym(tag_of("Holmes", TagType.CHARACTER), sherlock)
    doc = parse(client.get("/tags/Holmes"))
    merger = doc.xpath("//div[@class='merger module']/p")[0]
    assert text_of(merger) == (
        "Holmes has been made a synonym of Sherlock Holmes. Works tagged with Holmes will show "
        "up in Sherlock Holmes's filter."
    )
    assert merger.xpath("a/@href") == ["/tags/Sherlock%20Holmes"]
    assert "It's a common tag" not in text_of(doc.xpath("//div[@id='main']")[0])


def test_the_works_count_never_includes_what_the_viewer_may_not_see(alice, viewers):
    canonical("Fluff")
    make_work(author=alice, title="Open", freeforms=("Fluff", "loose tag"))
    make_work(author=alice, title="Members", freeforms=("Fluff", "loose tag"), restricted=True)
    make_work(author=alice, title="Draft", freeforms=("Fluff", "loose tag"), posted=False)
    expected = {"guest": "1 Work", "bob": "2 Works"}
    for viewer, client in viewers.items():
        for path in ("/tags/Fluff", "/tags/loose%20tag"):
            count = text_of(parse(client.get(path)).xpath("//p[@class='works count']")[0])
            assert count.startswith(expected[viewer] + " "), (viewer, path, count)


def test_a_canonical_count_includes_its_synonyms_and_subtags_works(alice, client):
    au = canonical("Alternate Universe")
    coffee = canonical("Alternate Universe - Coffee Shops")
    do_add_metatag(coffee, au)
    make_work(author=alice, freeforms=("Alternate Universe",))
    make_work(author=alice, freeforms=("Alternate Universe - Coffee Shops",))
    make_work(author=alice, freeforms=("AU",))
    do_make_synonym(tag_by_name("AU"), au)
    count = text_of(
        parse(client.get("/tags/Alternate%20Universe")).xpath("//p[@class='works count']")[0]
    )
    assert count.startswith("3 Works")
    # A synonym's own page counts its own works.
    count = text_of(parse(client.get("/tags/AU")).xpath("//p[@class='works count']")[0])
    assert count.startswith("1 Work ")


def test_an_unwrangled_tag_page_lists_its_works(alice, viewers):
    make_work(author=alice, title="Open", freeforms=("loose tag",))
    make_work(author=alice, title="Members", freeforms=("loose tag",), restricted=True)
    make_work(author=alice, title="Elsewhere")
    for viewer, titles in {"guest": ["Open"], "bob": ["Members", "Open"]}.items():
        response = viewers[viewer].get("/tags/loose%20tag")
        doc = parse(response)
        assert "can't be filtered on (yet)" in text_of(doc.xpath("//div[@id='main']")[0])
        assert listed_titles(response) == titles, viewer


def test_an_unknown_tag_is_a_404(client):
    assert client.get("/tags/No%20Such%20Tag").status_code == 404
    assert client.get("/tags/No%20Such%20Tag/works").status_code == 404


# /tags/:tag/works -----------------------------------------------------------------------------


def test_a_synonym_redirects_to_its_canonicals_works_keeping_the_query(alice, client):
    sherlock = canonical("Sherlock Holmes", TagType.CHARACTER)
    make_work(author=alice, title="Tagged Holmes", characters=("Holmes",))
    do_make_synonym(tag_by_name("Holmes"), sherlock)
    response = client.get("/tags/Holmes/works?page=1&view_adult=true")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Sherlock%20Holmes/works?page=1&view_adult=true"
    response = client.get(response["Location"])
    assert listed_titles(response) == ["Tagged Holmes"]
    h2 = parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0]
    assert text_of(h2) == "1 Work in Sherlock Holmes"
    assert h2.xpath("a[@class='tag']/@href") == ["/tags/Sherlock%20Holmes"]


def test_a_metatag_lists_its_subtags_works(alice, client):
    au = canonical("Alternate Universe")
    modern = canonical("Alternate Universe - Modern")
    coffee = canonical("Alternate Universe - Coffee Shops")
    do_add_metatag(coffee, modern)
    do_add_metatag(modern, au)
    make_work(author=alice, title="Latte", freeforms=("Alternate Universe - Coffee Shops",))
    make_work(author=alice, title="Plain", freeforms=("Alternate Universe",))
    make_work(author=alice, title="Unrelated", freeforms=("Fluff",))
    assert listed_titles(client.get("/tags/Alternate%20Universe/works")) == ["Plain", "Latte"]
    assert listed_titles(client.get("/tags/Alternate%20Universe%20-%20Modern/works")) == ["Latte"]


def test_a_tag_listing_is_visibility_aware(alice, viewers):
    canonical("Fluff")
    make_work(author=alice, title="Open", freeforms=("Fluff",))
    make_work(author=alice, title="Members", freeforms=("Fluff",), restricted=True)
    make_work(author=alice, title="Draft", freeforms=("Fluff",), posted=False)
    expected = {"guest": (["Open"], "1 Work"), "bob": (["Members", "Open"], "2 Works")}
    for viewer, (titles, count) in expected.items():
        response = viewers[viewer].get("/tags/Fluff/works")
        assert listed_titles(response) == titles, viewer
        assert heading(response) == f"{count} in Fluff", viewer


def test_an_unwrangled_tags_works_redirect_to_its_page(alice, client):
    make_work(author=alice, freeforms=("loose tag",))
    response = client.get("/tags/loose%20tag/works?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/tags/loose%20tag?page=2"


def test_a_long_listing_heading_counts_the_page(alice, client):
    canonical("Fluff")
    for number in range(21):
        make_work(author=alice, title=f"Work {number}", freeforms=("Fluff",))
    response = client.get("/tags/Fluff/works")
    h2 = parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0]
    assert text_of(h2) == "1 - 20 of 21 Works in Fluff"
    assert h2.xpath("a[@class='tag']/@href") == ["/tags/Fluff"]
    assert len(listed_titles(client.get("/tags/Fluff/works?page=2"))) == 1


NAME = "A/B & C. D? #E"
ESCAPED = "A*s*B%20*a*%20C*d*%20D*q*%20*h*E"


def test_tag_urls_escape_slash_ampersand_dot_question_mark_and_hash(alice, client):
    make_work(author=alice, title="Odd", freeforms=(NAME,))
    # Unwrangled: /works goes to the page, which lists the work.
    response = client.get(f"/tags/{ESCAPED}/works")
    assert response["Location"] == f"/tags/{ESCAPED}"
    response = client.get(f"/tags/{ESCAPED}")
    assert heading(response) == NAME
    assert listed_titles(response) == ["Odd"]
    # Canonical: /works lists it, and every link on the way is escaped the same way.
    do_set_canonical(tag_by_name(NAME), True)
    response = client.get(f"/tags/{ESCAPED}/works")
    assert listed_titles(response) == ["Odd"]
    h2 = parse(response).xpath("//div[@id='main']/h2[@class='heading']")[0]
    assert h2.xpath("a/@href") == [f"/tags/{ESCAPED}"]
    doc = parse(client.get(f"/tags/{ESCAPED}"))
    assert doc.xpath("//a[text()='filter works']/@href") == [f"/tags/{ESCAPED}/works"]


def test_a_synonym_with_escaped_characters_redirects_to_an_escaped_url(client):
    target = canonical("Q&A. #1")
    do_make_synonym(tag_of("Q/A?"), target)
    response = client.get("/tags/Q*s*A*q*/works")
    assert response["Location"] == "/tags/Q*a*A*d*%20*h*1/works"


# Query budgets -----------------------------------------------------------------------------


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def grow_fandom(alice, number: int, start: int = 0) -> None:
    fandom = tag_by_name(FANDOM)
    for n in range(start, start + number):
        character = canonical(f"Person {n}", TagType.CHARACTER)
        do_add_parent(character, fandom)
        do_make_synonym(tag_of(f"P{n}", TagType.CHARACTER), character)
        sub = canonical(f"Person {n} (sub)", TagType.CHARACTER)
        do_add_metatag(sub, character)
        make_work(author=alice, title=f"W{n}", fandoms=(FANDOM,), characters=(f"P{n}",))
        make_work(author=alice, fandoms=(FANDOM, f"Loose {n}"), restricted=n % 2 == 0)


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_tag_pages_stay_within_budget_however_many_relatives_and_works(
    alice, viewers, viewer, django_assert_max_num_queries
):
    canonical(FANDOM, TagType.FANDOM)
    grow_fandom(alice, 2)
    client = viewers[viewer]
    paths = ["/tags/Sherlock%20(TV)", "/tags/Sherlock%20(TV)/works", "/tags/Person%200",
             "/tags/Loose%201", "/tags/P0"]  # fmt: skip
    before = {path: queries(client, path) for path in paths}
    grow_fandom(alice, 6, start=2)
    for path in paths:
        with django_assert_max_num_queries(TAG_PAGE_BUDGET, info=path):
            after = queries(client, path)
        assert after == before[path], path
