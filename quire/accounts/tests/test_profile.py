"""The profile (AO3's /users/:login/profile): pseuds, join date, user ID, a title and an
"about me" in sanitized HTML (≤ 2,000 characters), edited by its owner alone."""

import pytest

from quire.accounts.actions import do_create_pseud, do_update_profile
from quire.testing import assert_form_shows, parse, text_of

pytestmark = pytest.mark.django_db


def test_the_profile_shows_pseuds_join_date_and_user_id(alice, client):
    do_create_pseud(alice, "Lizzy")
    do_update_profile(alice, title="Letters", about="I write *letters*.\n\nMostly.")
    doc = parse(client.get("/users/alice/profile"))
    assert text_of(doc.xpath("//dd[@class='pseuds']")[0]) == "alice, Lizzy"
    assert text_of(doc.xpath("//dd[@class='joined']")[0]) == alice.date_joined.strftime("%Y-%m-%d")
    assert text_of(doc.xpath("//dd[@class='user-id']")[0]) == str(alice.pk)
    assert doc.xpath("//h3[text()='Letters']")
    paragraphs = doc.xpath("//div[@class='bio module']/blockquote[@class='userstuff']/p")
    assert [text_of(p) for p in paragraphs] == ["I write *letters*.", "Mostly."]


def test_the_about_text_is_sanitized(alice, client):
    do_update_profile(
        alice, title="", about='<script>alert(1)</script><a href="javascript:x">hi</a><b>ok</b>'
    )
    body = client.get("/users/alice/profile").content.decode()
    assert "<script" not in body and "javascript:" not in body
    assert "<b>ok</b>" in body


def test_a_missing_user_has_no_profile(client, db):
    assert client.get("/users/nobody/profile").status_code == 404


def test_the_dashboard_links_the_profile(alice, client):
    doc = parse(client.get("/users/alice"))
    assert doc.xpath("//a[@href='/users/alice/profile']")


def test_the_owner_edits_their_profile(alice, viewers):
    response = viewers["alice"].post(
        "/users/alice/profile/edit",
        {"profile_title": "Letters", "profile_about": "<em>Hello</em>"},
    )
    assert response["Location"] == "/users/alice/profile"
    alice.refresh_from_db()
    assert (alice.profile_title, alice.profile_about) == ("Letters", "<em>Hello</em>")


def test_an_about_text_too_long_is_refused_and_kept(alice, viewers):
    data = {"profile_title": "Letters", "profile_about": "x" * 2_001}
    response = viewers["alice"].post("/users/alice/profile/edit", data)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert_form_shows(parse(response), data)
    alice.refresh_from_db()
    assert alice.profile_about == ""


@pytest.mark.parametrize("viewer", ["guest", "bob", "admin"])
def test_nobody_else_can_edit_a_profile(alice, viewers, viewer):
    path = "/users/alice/profile/edit"
    for response in (
        viewers[viewer].get(path),
        viewers[viewer].post(path, {"profile_title": "Mine", "profile_about": ""}),
    ):
        if viewer == "guest":
            assert response["Location"] == f"/users/login?next={path}"
        else:
            assert response.status_code == 404
    alice.refresh_from_db()
    assert alice.profile_title == ""


def test_the_profile_page_queries_do_not_grow_with_pseuds(
    alice, client, django_assert_max_num_queries
):
    for number in range(10):
        do_create_pseud(alice, f"Pseud {number}")
    with django_assert_max_num_queries(4):
        assert client.get("/users/alice/profile").status_code == 200
