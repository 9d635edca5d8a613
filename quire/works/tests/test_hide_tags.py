"""The "Hide warnings" and "Hide additional tags" preferences: on blurbs and on the work page
the tags sit inside a reveal that needs no script (<details>), and the cached fragments of
one reader's variant are never served to another."""

import pytest

from quire.accounts.actions import do_update_preferences
from quire.conftest import client_for
from quire.testing import make_user, make_work, parse, text_of

pytestmark = pytest.mark.django_db

WARNING = "Graphic Depictions Of Violence"
FREEFORM = "Hurt/Comfort"


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Storm", warnings=(WARNING,), freeforms=(FREEFORM,))


def hidden_texts(doc, kind: str) -> list[str]:
    """The tags inside the collapsed reveals of `kind` ("warning" or "freeform")."""
    return [
        text_of(a) for a in doc.xpath(f"//*[contains(@class, '{kind}')]//details//a[@class='tag']")
    ]


def visible_tag_texts(doc) -> list[str]:
    """Tag links that are not inside a reveal."""
    return [text_of(a) for a in doc.xpath("//a[@class='tag'][not(ancestor::details)]")]


@pytest.mark.parametrize("path", ["/works/{id}", "/works"])
def test_a_reader_who_hides_tags_sees_them_only_inside_the_reveal(bob, work, path):
    do_update_preferences(bob, hide_warnings=True, hide_freeform=True)
    doc = parse(client_for(bob).get(path.format(id=work.pk)))
    summaries = [text_of(s) for s in doc.xpath("//details[@class='hidden-tags']/summary")]
    assert summaries == ["Show warnings", "Show additional tags"]
    assert hidden_texts(doc, "warning") == [WARNING]
    assert hidden_texts(doc, "freeform") == [FREEFORM]
    assert WARNING not in visible_tag_texts(doc)
    assert FREEFORM not in visible_tag_texts(doc)
    # Nor does the blurb's warning square name them.
    assert not doc.xpath(f"//span[@title='{WARNING}']")


@pytest.mark.parametrize("path", ["/works/{id}", "/works"])
def test_without_the_preference_the_tags_are_shown_plainly(bob, work, path):
    doc = parse(client_for(bob).get(path.format(id=work.pk)))
    assert not doc.xpath("//details")
    assert WARNING in visible_tag_texts(doc)
    assert FREEFORM in visible_tag_texts(doc)


def test_hiding_one_kind_leaves_the_other(bob, work):
    do_update_preferences(bob, hide_freeform=True)
    doc = parse(client_for(bob).get(f"/works/{work.pk}"))
    assert hidden_texts(doc, "freeform") == [FREEFORM]
    assert not hidden_texts(doc, "warning")
    assert WARNING in visible_tag_texts(doc)


@pytest.mark.parametrize("path", ["/works/{id}", "/works", "/", "/users/alice"])
def test_cached_fragments_are_never_served_to_another_reader(alice, bob, work, path):
    """The same page, warm, in turn for readers with and without the preference."""
    carol = make_user("carol")
    do_update_preferences(bob, hide_warnings=True, hide_freeform=True)
    url = path.format(id=work.pk)
    hiding, plain, guest = client_for(bob), client_for(carol), client_for(None)
    for _ in range(2):
        assert hidden_texts(parse(hiding.get(url)), "warning")
        assert WARNING in visible_tag_texts(parse(plain.get(url)))
        assert not parse(plain.get(url)).xpath("//details")
        guest_doc = parse(guest.get(url))
        assert WARNING in visible_tag_texts(guest_doc)
        assert not guest_doc.xpath("//details")
    # The order reversed, on a cache the plain readers filled.
    assert hidden_texts(parse(hiding.get(url)), "freeform")


def test_a_creator_always_sees_their_own_works_tags(alice, work):
    do_update_preferences(alice, hide_warnings=True, hide_freeform=True)
    for path in (f"/works/{work.pk}", "/works"):
        doc = parse(client_for(alice).get(path))
        assert not doc.xpath("//details"), path
        assert WARNING in visible_tag_texts(doc)


def test_turning_the_preference_off_shows_the_tags_at_once(bob, work):
    client = client_for(bob)
    do_update_preferences(bob, hide_warnings=True)
    assert hidden_texts(parse(client.get(f"/works/{work.pk}")), "warning")
    do_update_preferences(bob, hide_warnings=False)
    assert not parse(client.get(f"/works/{work.pk}")).xpath("//details")
