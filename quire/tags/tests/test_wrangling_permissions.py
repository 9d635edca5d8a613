"""Who may wrangle: tag wranglers and admins. To guests and readers every wrangling page and
every wrangling POST is a 404, exactly like a page that does not exist, and changes nothing."""

import pytest

from quire.conftest import client_for
from quire.tags.actions import do_find_or_create_tags
from quire.tags.models import Tag, TagType
from quire.tags.permissions import can_wrangle
from quire.testing import make_user, make_work, parse

from .wrangling_helpers import make_tag, make_unsorted, taxonomy_snapshot

pytestmark = pytest.mark.django_db

FANDOM = "Sherlock Holmes (TV)"


@pytest.fixture
def taxonomy(alice):
    fandom = make_tag(FANDOM, TagType.FANDOM, canonical=True)
    sherlock = make_tag("Sherlock Holmes", TagType.CHARACTER, canonical=True)
    make_work(author=alice, fandoms=(FANDOM,), characters=("Holmes", "Sherlock Holmes"))
    make_unsorted("Loose Tag")
    return {"fandom": fandom, "sherlock": sherlock, "holmes": Tag.objects.get(name="Holmes")}


@pytest.fixture
def viewers(client, bob, wrangler, admin_user):
    return {
        "guest": client,
        "bob": client_for(bob),
        "wrangler": client_for(wrangler),
        "admin": client_for(admin_user),
    }


PAGES = [
    "/wrangling",
    "/wrangling/unsorted",
    "/wrangling/history",
    "/wrangling/fandoms/Sherlock%20Holmes%20(TV)",
    "/wrangling/fandoms/Sherlock%20Holmes%20(TV)?show=relationships&status=canonical",
    "/tags/Holmes/edit",
    "/tags/Sherlock%20Holmes%20(TV)/edit",
]
MAY_WRANGLE = {"guest": False, "bob": False, "wrangler": True, "admin": True}


def posts(taxonomy) -> list[tuple[str, dict]]:
    """One meaningful change through every wrangling form."""
    return [
        ("/tags/Holmes/edit", {"synonym_of": "Sherlock Holmes", "type": "character"}),
        (
            "/wrangling/fandoms/Sherlock%20Holmes%20(TV)?show=characters",
            {"tags": [taxonomy["holmes"].pk], "action": "canonical"},
        ),
        (
            "/wrangling/unsorted",
            {"tags": [Tag.objects.get(name="Loose Tag").pk], "type": "freeform"},
        ),
    ]


@pytest.mark.parametrize("viewer", list(MAY_WRANGLE))
def test_it_shows_wrangling_pages_to_wranglers_and_admins_only(taxonomy, viewers, viewer):
    for path in PAGES:
        response = viewers[viewer].get(path)
        assert response.status_code == (200 if MAY_WRANGLE[viewer] else 404), path


@pytest.mark.parametrize("viewer", ["guest", "bob"])
def test_it_refuses_every_wrangling_post_from_others_and_changes_nothing(taxonomy, viewers, viewer):
    before = taxonomy_snapshot()
    for path, data in posts(taxonomy):
        response = viewers[viewer].post(path, data)
        assert response.status_code == 404, path
    assert taxonomy_snapshot() == before


@pytest.mark.parametrize("viewer", ["wrangler", "admin"])
def test_it_accepts_every_wrangling_post_from_wranglers_and_admins(taxonomy, viewers, viewer):
    for path, data in posts(taxonomy)[1:]:
        response = viewers[viewer].post(path, data)
        assert response.status_code == 302, path
    assert Tag.objects.get(name="Holmes").canonical
    assert Tag.objects.get(name="Loose Tag").type == TagType.FREEFORM
    response = viewers[viewer].post("/tags/Holmes/edit", {"canonical": "on"})
    assert response.status_code == 302


@pytest.mark.parametrize("viewer", list(MAY_WRANGLE))
def test_a_missing_tag_looks_like_a_forbidden_one(taxonomy, viewers, viewer):
    for path in ["/tags/No%20Such%20Tag/edit", "/wrangling/fandoms/No%20Such%20Fandom"]:
        assert viewers[viewer].get(path).status_code == 404


def test_a_fandom_dashboard_needs_a_fandom(taxonomy, viewers):
    assert viewers["wrangler"].get("/wrangling/fandoms/Holmes").status_code == 404


@pytest.mark.parametrize("viewer", list(MAY_WRANGLE))
def test_the_wrangling_link_is_in_the_header_for_wranglers_and_admins(taxonomy, viewers, viewer):
    doc = parse(viewers[viewer].get("/works"))
    links = doc.xpath("//header//a[@href='/wrangling']")
    assert bool(links) is MAY_WRANGLE[viewer]


def test_can_wrangle_knows_the_roles(db, bob, wrangler, admin_user):
    from django.contrib.auth.models import AnonymousUser, Group

    from quire.accounts.models import User
    from quire.moderation.roles import sync_staff_roles

    staff_only = make_user("staffer", is_staff=True)
    assert not can_wrangle(AnonymousUser())
    assert not can_wrangle(bob)
    assert can_wrangle(wrangler)
    assert can_wrangle(admin_user)
    # Staff wrangle through the Tag Wrangling role, not merely by being staff.
    assert not can_wrangle(staff_only)
    sync_staff_roles()
    staff_only.groups.add(Group.objects.get(name="Tag Wrangling"))
    assert can_wrangle(User.objects.get(pk=staff_only.pk))  # permissions are cached per object


def test_the_tag_page_offers_wranglers_an_edit_link(db, wrangler, bob, client):
    do_find_or_create_tags(["Lantern Light"], TagType.FREEFORM)
    edit = "/tags/Lantern%20Light/edit"
    assert edit in client_for(wrangler).get("/tags/Lantern%20Light").content.decode()
    assert edit not in client_for(bob).get("/tags/Lantern%20Light").content.decode()
    assert edit not in client.get("/tags/Lantern%20Light").content.decode()
