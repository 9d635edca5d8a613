"""Deleting a pseud (its works, series, bookmarks and comments move to the default pseud;
the default pseud can't be deleted) and making a pseud the default (AO3's edit-form box)."""

import pytest

from quire.accounts.actions import do_create_pseud, do_delete_pseud
from quire.accounts.models import Pseud
from quire.social.actions import BookmarkInput, do_create_bookmark
from quire.testing import make_comment, make_work, parse, text_of
from quire.works.models import Series

pytestmark = pytest.mark.django_db


def test_the_confirmation_page_names_the_default_pseud(alice, alice_client):
    lizzy = do_create_pseud(alice, "Lizzy")
    make_work(author=alice, pseuds=[lizzy])
    doc = parse(alice_client.get("/users/alice/pseuds/Lizzy/delete"))
    notice = text_of(doc.xpath("//div[@class='caution notice']")[0])
    assert "Its 1 work" in notice and "default pseud, alice" in notice
    form = doc.xpath("//form[@action='/users/alice/pseuds/Lizzy']")[0]
    assert form.xpath(".//input[@name='_method']")[0].get("value") == "delete"


def test_deleting_a_pseud_moves_its_works_to_the_default(alice, bob, alice_client, client):
    lizzy = do_create_pseud(alice, "Lizzy")
    series = Series.objects.create(title="Letters")
    work = make_work(author=alice, pseuds=[lizzy], series=series)
    both = make_work(author=alice, pseuds=[lizzy, alice.pseuds.get(name="alice")])
    bobs = make_work(author=bob)
    do_create_bookmark(bobs, owner=alice, data=BookmarkInput(pseud=lizzy))
    comment = make_comment(bobs, user=alice)
    comment.pseud = lizzy
    comment.save(update_fields=["pseud"])
    version = work.version
    client.get(f"/works/{work.pk}")  # a cached guest page

    response = alice_client.post("/users/alice/pseuds/Lizzy", {"_method": "delete"})
    assert response["Location"] == "/users/alice/pseuds"
    assert not Pseud.objects.filter(pk=lizzy.pk).exists()
    default = alice.pseuds.get(is_default=True)
    assert list(work.pseuds.all()) == [default]
    assert list(both.pseuds.all()) == [default]
    assert list(series.pseuds.all()) == [default]
    assert alice.bookmarks.get().pseud == default
    comment.refresh_from_db()
    assert comment.pseud == default
    work.refresh_from_db()
    assert work.version > version
    doc = parse(client.get(f"/works/{work.pk}"))
    assert text_of(doc.xpath("//h3[@class='byline heading']")[0]) == "alice"


def test_the_default_pseud_cannot_be_deleted(alice, alice_client):
    response = alice_client.post("/users/alice/pseuds/alice", {"_method": "delete"})
    assert response["Location"] == "/users/alice/pseuds"
    assert alice.pseuds.filter(is_default=True).exists()
    response = alice_client.get("/users/alice/pseuds/alice/delete", follow=True)
    assert "You cannot delete your default pseud." in response.content.decode()
    with pytest.raises(ValueError, match="default pseud"):
        do_delete_pseud(alice.pseuds.get())


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_can_delete_a_pseud(alice, viewers, viewer):
    do_create_pseud(alice, "Lizzy")
    path = "/users/alice/pseuds/Lizzy/delete"
    for response in (
        viewers[viewer].get(path),
        viewers[viewer].post(path),
        viewers[viewer].post("/users/alice/pseuds/Lizzy", {"_method": "delete"}),
    ):
        if viewer == "guest":
            assert response.status_code == 302 and "/users/login" in response["Location"]
        else:
            assert response.status_code == 404
    assert alice.pseuds.filter(name="Lizzy").exists()


def test_a_missing_pseud_is_a_404(alice, alice_client):
    assert alice_client.get("/users/alice/pseuds/Nobody/delete").status_code == 404


def test_the_pseud_list_offers_delete_except_for_the_default(alice, alice_client):
    do_create_pseud(alice, "Lizzy")
    doc = parse(alice_client.get("/users/alice/pseuds"))
    links = [a.get("href") for a in doc.xpath("//a[text()='Delete']")]
    assert links == ["/users/alice/pseuds/Lizzy/delete"]


def test_making_a_pseud_the_default(alice, alice_client):
    lizzy = do_create_pseud(alice, "Lizzy")
    response = alice_client.post(
        "/users/alice/pseuds/Lizzy/edit", {"name": "Lizzy", "description": "", "is_default": "on"}
    )
    assert response.status_code == 302
    assert list(alice.pseuds.filter(is_default=True).values_list("name", flat=True)) == ["Lizzy"]
    # New works are credited to it.
    doc = parse(alice_client.get("/works/new"))
    chosen = doc.xpath("//input[@name='pseuds'][@checked]")
    assert [box.get("value") for box in chosen] == [str(lizzy.pk)]


def test_the_default_box_cannot_be_unticked(alice, alice_client):
    response = alice_client.post(
        "/users/alice/pseuds/alice/edit", {"name": "alice", "description": ""}
    )
    assert response.status_code == 302
    assert alice.pseuds.get(name="alice").is_default
    doc = parse(alice_client.get("/users/alice/pseuds/alice/edit"))
    box = doc.xpath("//input[@name='is_default']")[0]
    assert box.get("checked") is not None and box.get("disabled") is not None
