"""The one door: visible_works and access_work across the permission matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from quire.testing import make_work
from quire.works.queries import RestrictedWork, access_work, visible_works

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()


@pytest.fixture
def works(alice):
    posted = make_work(author=alice, title="Posted")
    draft = make_work(author=alice, title="Draft", posted=False)
    restricted = make_work(author=alice, title="Restricted", restricted=True)
    hidden = make_work(author=alice, title="Hidden")
    hidden.hidden_by_admin = True
    hidden.save(update_fields=["hidden_by_admin"])
    unrevealed = make_work(author=alice, title="Unrevealed")
    unrevealed.in_unrevealed_collection = True
    unrevealed.save(update_fields=["in_unrevealed_collection"])
    return {
        "posted": posted,
        "draft": draft,
        "restricted": restricted,
        "hidden": hidden,
        "unrevealed": unrevealed,
    }


def titles(viewer) -> set[str]:
    return set(visible_works(viewer).values_list("title", flat=True))


def test_guests_list_only_public_posted_works(works):
    assert titles(GUEST) == {"Posted"}


def test_readers_also_list_restricted_works(works, bob):
    assert titles(bob) == {"Posted", "Restricted"}


def test_creators_do_not_list_their_drafts_or_hidden_works(works, alice):
    assert titles(alice) == {"Posted", "Restricted"}


def test_admins_do_not_list_hidden_works(works, admin_user):
    assert titles(admin_user) == {"Posted", "Restricted"}


# (viewer, work) -> "ok", "login" (RestrictedWork) or "404"
MATRIX = {
    "guest": {
        "posted": "ok",
        "draft": "404",
        "restricted": "login",
        "hidden": "404",
        "unrevealed": "404",
    },
    "bob": {
        "posted": "ok",
        "draft": "404",
        "restricted": "ok",
        "hidden": "404",
        "unrevealed": "404",
    },
    "alice": {
        "posted": "ok",
        "draft": "ok",
        "restricted": "ok",
        "hidden": "ok",
        "unrevealed": "ok",
    },
    "admin": {
        "posted": "ok",
        "draft": "404",
        "restricted": "ok",
        "hidden": "ok",
        "unrevealed": "ok",
    },
}


@pytest.mark.parametrize("viewer_name", list(MATRIX))
def test_access_work_follows_the_matrix(works, viewer_name, alice, bob, admin_user):
    viewer = {"guest": GUEST, "bob": bob, "alice": alice, "admin": admin_user}[viewer_name]
    for work_name, expected in MATRIX[viewer_name].items():
        work = works[work_name]
        if expected == "ok":
            assert access_work(viewer, work.pk).pk == work.pk, work_name
        elif expected == "login":
            with pytest.raises(RestrictedWork):
                access_work(viewer, work.pk)
        else:
            with pytest.raises(Http404):
                access_work(viewer, work.pk)


def test_a_missing_work_looks_like_a_forbidden_one(works, bob):
    with pytest.raises(Http404) as missing:
        access_work(bob, 999_999)
    with pytest.raises(Http404) as forbidden:
        access_work(bob, works["draft"].pk)
    assert str(missing.value) == str(forbidden.value)


def test_only_creators_get_works_for_edit(works, alice, bob, admin_user):
    assert access_work(alice, works["draft"].pk, for_edit=True)
    for viewer in (bob, admin_user, GUEST):
        with pytest.raises(Http404):
            access_work(viewer, works["posted"].pk, for_edit=True)
