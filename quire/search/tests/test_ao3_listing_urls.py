"""AO3's own listing URLs work with only the host changed: AO3's tag and user pages submit
their Sort and Filter form to /works?tag_id=<tag>&work_search[...] (or user_id=<login>,
pseud_id=<pseud>), and an unwrangled tag's page lists its works through the engine too."""

import pytest

from quire.accounts.actions import do_create_pseud
from quire.search.actions import do_block_creator, do_block_work
from quire.tags.actions import do_find_or_create_tags, do_make_synonym, do_set_canonical
from quire.tags.models import TagType
from quire.tags.queries import tag_by_name
from quire.testing import make_work, parse, text_of

pytestmark = pytest.mark.django_db

FANDOM = "Pride and Prejudice - Jane Austen"


def titles(response) -> list[str]:
    doc = parse(response)
    return sorted(text_of(a) for a in doc.xpath("//li[contains(@class, 'work blurb')]//h4/a[1]"))


def heading(response) -> str:
    return text_of(parse(response).xpath("//h2[@class='heading']")[0])


@pytest.fixture
def archive(alice, bob):
    fandom = do_set_canonical(do_find_or_create_tags([FANDOM], TagType.FANDOM)[0], True)
    do_make_synonym(do_find_or_create_tags(["P&P"], TagType.FANDOM)[0], fandom)
    return {
        "long": make_work(author=alice, title="Long Letters", text="<p>" + "word " * 300 + "</p>"),
        # Tagged with the synonym: a tag no visible work uses is shown to no one (issue 11).
        "short": make_work(author=alice, title="Short Note", fandoms=("P&P",)),
        "other": make_work(author=bob, title="Elsewhere", fandoms=("Emma - Jane Austen",)),
    }


def test_works_with_tag_id_lists_that_tags_works_with_filters(archive, client):
    response = client.get("/works", {"tag_id": FANDOM, "work_search[words_from]": "100"})
    assert titles(response) == ["Long Letters"]
    assert heading(response).endswith(f"in {FANDOM}")


def test_tag_id_of_a_synonym_lists_the_canonicals_works(archive, client):
    assert titles(client.get("/works", {"tag_id": "P&P"})) == ["Long Letters", "Short Note"]


def test_tag_id_of_an_unwrangled_tag_lists_the_works_tagged_with_it(archive, client):
    assert titles(client.get("/works", {"tag_id": "Emma - Jane Austen"})) == ["Elsewhere"]


def test_user_id_and_pseud_id_list_a_creators_works(archive, alice, client):
    pseud = do_create_pseud(alice, "Quill")
    make_work(author=alice, title="Under Quill", pseuds=[pseud])
    assert titles(client.get("/works", {"user_id": "alice"})) == [
        "Long Letters",
        "Short Note",
        "Under Quill",
    ]
    assert titles(client.get("/works", {"user_id": "alice", "pseud_id": "Quill"})) == [
        "Under Quill"
    ]


@pytest.mark.parametrize(
    "params",
    [{"tag_id": "No Such Tag"}, {"user_id": "nobody"}, {"user_id": "alice", "pseud_id": "x"}],
)
def test_an_unknown_subject_is_not_found(archive, client, params):
    assert client.get("/works", params).status_code == 404


def test_an_unwrangled_tags_page_honours_the_blocklist(archive, alice, bob, bob_client):
    make_work(author=alice, title="Loose", freeforms=("Loose Thread",))
    make_work(author=bob, title="Also Loose", freeforms=("Loose Thread",))
    assert titles(bob_client.get("/tags/Loose%20Thread")) == ["Also Loose", "Loose"]
    do_block_creator(bob, alice)
    assert titles(bob_client.get("/tags/Loose%20Thread")) == ["Also Loose"]
    do_block_work(bob, tag_by_name("Loose Thread").works.get(title="Also Loose"))
    assert titles(bob_client.get("/tags/Loose%20Thread")) == []
