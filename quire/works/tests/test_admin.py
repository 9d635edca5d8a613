import pytest

from quire.conftest import client_for, staff_session_for
from quire.testing import make_work

pytestmark = pytest.mark.django_db


def test_admin_hides_a_work_and_it_leaves_every_listing(alice, admin_user, client):
    work = make_work(author=alice, title="Soon Hidden")
    assert b"Soon Hidden" in client.get("/works").content
    admin = staff_session_for(admin_user)
    page = admin.get(f"/admin/works/work/{work.pk}/change/")
    assert page.status_code == 200
    response = admin.post(f"/admin/works/work/{work.pk}/change/", {"hidden_by_admin": "on"})
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_admin
    assert b"Soon Hidden" not in client.get("/works").content
    assert client.get(f"/works/{work.pk}").status_code == 404
    # The creator still reads it, and is told why it is hidden.
    assert b"hidden by an administrator" in client_for(alice).get(f"/works/{work.pk}").content


def test_readers_cannot_reach_the_admin(bob):
    response = client_for(bob).get("/admin/works/work/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
