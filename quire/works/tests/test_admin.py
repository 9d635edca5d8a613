import pytest

from quire.conftest import client_for, staff_session_for
from quire.moderation.models import Hiding
from quire.moderation.queries import log_for
from quire.testing import make_work

pytestmark = pytest.mark.django_db


def test_admin_hides_a_work_and_it_leaves_every_listing(alice, admin_user, client):
    work = make_work(author=alice, title="Soon Hidden")
    assert b"Soon Hidden" in client.get("/works").content
    admin = staff_session_for(admin_user)
    page = admin.get(f"/admin/works/work/{work.pk}/change/")
    assert page.status_code == 200
    # Hiding needs the reason the creator is told; the form keeps the box ticked.
    refused = admin.post(f"/admin/works/work/{work.pk}/change/", {"hidden_by_admin": "on"})
    assert refused.status_code == 200 and b"Please say why" in refused.content
    work.refresh_from_db()
    assert not work.hidden_by_admin
    response = admin.post(
        f"/admin/works/work/{work.pk}/change/",
        {"hidden_by_admin": "on", "reason": "Copied from elsewhere"},
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_admin
    # The same hiding as the site's hide button: the reason kept and logged.
    assert Hiding.objects.get(target_id=work.pk).reason == "Copied from elsewhere"
    assert log_for(work).get().action == "hide"
    assert b"Soon Hidden" not in client.get("/works").content
    assert client.get(f"/works/{work.pk}").status_code == 404
    # The creator still reads it, and is told why it is hidden.
    assert b"Copied from elsewhere" in client_for(alice).get(f"/works/{work.pk}").content
    admin.post(f"/admin/works/work/{work.pk}/change/", {"reason": "Permission shown"})
    work.refresh_from_db()
    assert not work.hidden_by_admin
    assert not Hiding.objects.filter(target_id=work.pk).exists()


def test_readers_cannot_reach_the_admin(bob):
    response = client_for(bob).get("/admin/works/work/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
