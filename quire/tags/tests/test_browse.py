"""Browsing: /media, /media/:media/fandoms, /fandoms and the /tags search. Counts are the works
the viewer may see under each canonical fandom (filter table), and a page's queries do not
grow with the number of fandoms or works."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.conftest import client_for
from quire.tags.actions import (
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

BROWSE_BUDGET = 8


def fandom(name: str, medium: str | None = "TV Shows") -> Tag:
    (tag,) = do_find_or_create_tags([name], TagType.FANDOM)
    tag = do_set_canonical(tag, True)
    if medium:
        do_add_parent(tag, Tag.objects.get(name=medium))
    return tag


def counted(doc, xpath: str) -> list[str]:
    """The "Name (count)" lines of the items at `xpath`."""
    return [text_of(li) for li in doc.xpath(xpath)]


@pytest.fixture
def viewers(client, bob):
    return {"guest": client, "bob": client_for(bob)}


@pytest.fixture
def archive(alice):
    fandom("Sherlock (TV)")
    fandom("Doctor Who")
    fandom("Pride and Prejudice - Jane Austen", "Books & Literature")
    fandom("Émile Zola", "Books & Literature")
    fandom("1984 - George Orwell", "Books & Literature")
    make_work(author=alice, fandoms=("Sherlock (TV)",))
    make_work(author=alice, fandoms=("Sherlock (TV)",), restricted=True)
    make_work(author=alice, fandoms=("Sherlock (TV)",), posted=False)
    # A synonym's works count under the canonical.
    make_work(author=alice, fandoms=("BBC Sherlock",))
    do_make_synonym(tag_by_name("BBC Sherlock"), tag_by_name("Sherlock (TV)"))
    make_work(author=alice, fandoms=("Doctor Who",), restricted=True)
    make_work(author=alice, fandoms=("Pride and Prejudice - Jane Austen",))
    # Unwrangled fandoms are not canonical: not in any index.
    make_work(author=alice, fandoms=("Some New Thing",))


# /media ---------------------------------------------------------------------------------------


def medium_box(doc, name: str):
    for box in doc.xpath("//ul[@class='media fandom index group']/li"):
        if text_of(box.xpath("h3")[0]) == name:
            return box
    raise AssertionError(f"no box for {name}")


def test_media_lists_every_medium_with_its_fandoms_and_visible_counts(archive, viewers):
    expected = {
        "guest": ["Sherlock (TV) (2)", "Doctor Who (0)"],
        "bob": ["Sherlock (TV) (3)", "Doctor Who (1)"],
    }
    for viewer, client in viewers.items():
        doc = parse(client.get("/media"))
        assert counted(medium_box(doc, "TV Shows"), "ol/li") == expected[viewer], viewer
    media = [text_of(h) for h in doc.xpath("//li[contains(@class, 'medium')]/h3")]
    assert media[0] == "Anime & Manga"
    assert media[-1] == "Uncategorized Fandoms"
    assert doc.xpath("//li[contains(@class, 'medium')]/h3/a/@href")[0] == (
        "/media/Anime%20*a*%20Manga/fandoms"
    )
    assert text_of(medium_box(doc, "Movies")) == "Movies No fandoms yet."


def test_media_shows_the_top_five_and_links_to_the_rest(alice, client):
    for number in range(7):
        fandom(f"Show {number}")
        for _ in range(number % 3):
            make_work(author=alice, fandoms=(f"Show {number}",))
    box = medium_box(parse(client.get("/media")), "TV Shows")
    assert counted(box, "ol/li") == [
        "Show 2 (2)",
        "Show 5 (2)",
        "Show 1 (1)",
        "Show 4 (1)",
        "Show 0 (0)",
    ]
    assert box.xpath("p/a/@href") == ["/media/TV%20Shows/fandoms"]
    assert text_of(box.xpath("p/a")[0]) == "All TV Shows (7)..."


# /media/:media/fandoms and /fandoms -----------------------------------------------------------


def letters(doc) -> dict[str, list[str]]:
    return {
        li.get("id"): counted(li, "ul/li")
        for li in doc.xpath("//ol[@class='alphabet fandom index group']/li")
    }


def test_a_mediums_fandoms_are_alphabetical_with_visible_counts(archive, viewers):
    expected = {
        "guest": {
            "letter-#": ["1984 - George Orwell (0)"],
            "letter-P": ["Pride and Prejudice - Jane Austen (1)"],
            "letter-É": ["Émile Zola (0)"],
        },
        "bob": {
            "letter-#": ["1984 - George Orwell (0)"],
            "letter-P": ["Pride and Prejudice - Jane Austen (1)"],
            "letter-É": ["Émile Zola (0)"],
        },
    }
    for viewer, client in viewers.items():
        doc = parse(client.get("/media/Books%20*a*%20Literature/fandoms"))
        assert letters(doc) == expected[viewer], viewer
    assert text_of(doc.xpath("//h2")[0]) == "Fandoms > Books & Literature"
    doc = parse(viewers["guest"].get("/media/TV%20Shows/fandoms"))
    assert letters(doc) == {"letter-D": ["Doctor Who (0)"], "letter-S": ["Sherlock (TV) (2)"]}
    doc = parse(viewers["bob"].get("/media/TV%20Shows/fandoms"))
    assert letters(doc) == {"letter-D": ["Doctor Who (1)"], "letter-S": ["Sherlock (TV) (3)"]}


def test_an_unknown_medium_is_a_404(archive, client):
    assert client.get("/media/Radio/fandoms").status_code == 404
    # A fandom is not a medium.
    assert client.get("/media/Doctor%20Who/fandoms").status_code == 404


def test_fandoms_index_lists_canonical_fandoms_by_letter(archive, viewers):
    doc = parse(viewers["guest"].get("/fandoms"))
    assert letters(doc) == {
        "letter-#": ["1984 - George Orwell (0)"],
        "letter-D": ["Doctor Who (0)"],
        "letter-P": ["Pride and Prejudice - Jane Austen (1)"],
        "letter-S": ["Sherlock (TV) (2)"],
        "letter-É": ["Émile Zola (0)"],
    }
    assert doc.xpath("//ul[@id='alphabet']/li/a/@href")[0] == "#letter-%23"
    assert doc.xpath("//li[@id='letter-S']/ul//a/@href") == ["/tags/Sherlock%20(TV)/works"]
    doc = parse(viewers["bob"].get("/fandoms"))
    assert letters(doc)["letter-S"] == ["Sherlock (TV) (3)"]


def test_no_fandoms_says_so(client):
    assert text_of(parse(client.get("/fandoms")).xpath("//h3[contains(@class, 'no_fandoms')]")[0])


# /tags search ---------------------------------------------------------------------------------


def found(response) -> list[str]:
    doc = parse(response)
    return [text_of(li) for li in doc.xpath("//ol[@class='tag index group']/li")]


def test_tag_search_matches_a_substring_of_the_name(archive, viewers):
    expected = {
        "guest": [
            "Fandom: BBC Sherlock (synonym of Sherlock (TV)) (1 work)",
            "Fandom: Sherlock (TV) (canonical) (2 works)",
        ],
        "bob": [
            "Fandom: BBC Sherlock (synonym of Sherlock (TV)) (1 work)",
            "Fandom: Sherlock (TV) (canonical) (3 works)",
        ],
    }
    for viewer, client in viewers.items():
        assert found(client.get("/tags?tag_search[name]=ERLOCK")) == expected[viewer], viewer


def test_tag_search_filters_by_type_and_canonical(archive, client):
    put_in_use(*do_find_or_create_tags(["Doctor Who - Character"], TagType.CHARACTER))
    names = lambda query: [line.split(" (")[0] for line in found(client.get(f"/tags?{query}"))]  # noqa: E731
    assert names("tag_search[name]=doctor") == [
        "Fandom: Doctor Who",
        "Character: Doctor Who - Character",
    ]
    assert names("tag_search[name]=doctor&tag_search[type]=character") == [
        "Character: Doctor Who - Character"
    ]
    assert names("tag_search[name]=sherlock&tag_search[canonical]=T") == ["Fandom: Sherlock"]
    assert names("tag_search[name]=sherlock&tag_search[canonical]=F") == ["Fandom: BBC Sherlock"]
    # Nonsense filters are ignored rather than refused.
    assert names("tag_search[name]=doctor&tag_search[type]=bogus&tag_search[canonical]=x") == [
        "Fandom: Doctor Who",
        "Character: Doctor Who - Character",
    ]


def test_tag_search_keeps_its_form_and_paginates(archive, client):
    put_in_use(*do_find_or_create_tags([f"Trope {n:02}" for n in range(55)], TagType.FREEFORM))
    response = client.get("/tags?tag_search[name]=trope&tag_search[type]=freeform")
    doc = parse(response)
    assert doc.xpath("//input[@name='tag_search[name]']/@value") == ["trope"]
    assert doc.xpath("//select[@name='tag_search[type]']/option[@selected]/@value") == ["freeform"]
    assert text_of(doc.xpath("//div[@id='main']/h3")[0]) == "55 Found"
    assert len(found(response)) == 50
    response = client.get("/tags?tag_search[name]=trope&tag_search[type]=freeform&page=2")
    assert len(found(response)) == 5


def test_tag_search_without_a_name_lists_everything_and_an_empty_search_says_so(client):
    # The fixed tags and the media are there from the start.
    assert len(found(client.get("/tags"))) == Tag.objects.count() > 20
    assert found(client.get("/tags?tag_search[name]=zzzz")) == ["No tags found."]


# Query budgets ---------------------------------------------------------------------------------


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


BROWSE_PATHS = [
    "/media",
    "/media/TV%20Shows/fandoms",
    "/fandoms",
    "/tags?tag_search[name]=show",
]


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_browse_pages_stay_within_budget_however_many_fandoms(
    alice, viewers, viewer, django_assert_max_num_queries
):
    def grow(start: int, number: int) -> None:
        for n in range(start, start + number):
            fandom(f"Show {n}")
            make_work(author=alice, fandoms=(f"Show {n}", f"Loose Show {n}"), restricted=n % 2 == 0)

    grow(0, 2)
    client = viewers[viewer]
    before = {path: queries(client, path) for path in BROWSE_PATHS}
    grow(2, 8)
    for path in BROWSE_PATHS:
        with django_assert_max_num_queries(BROWSE_BUDGET, info=path):
            assert queries(client, path) == before[path], path
