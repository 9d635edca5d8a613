import pytest
from django.core.management import call_command

from quire.downloads.cache import stored, work_file_key
from quire.testing import make_work
from quire.works.actions import do_delete_work, do_set_hidden_by_admin

pytestmark = pytest.mark.django_db


def test_it_deletes_files_no_request_will_reach_again(alice, client, capsys):
    kept, deleted, hidden = (make_work(author=alice, title=t) for t in ("Kept", "Gone", "Hid"))
    for work in (kept, deleted, hidden):
        assert client.get(f"/downloads/{work.pk}/X.html").status_code == 200
    keys = {work.title: work_file_key(work, "html") for work in (kept, deleted, hidden)}
    do_delete_work(deleted)
    do_set_hidden_by_admin(hidden, hidden=True)
    call_command("prune_downloads")
    assert "Deleted 2 stored download file(s)." in capsys.readouterr().out
    assert stored(keys["Kept"])
    assert not stored(keys["Gone"]) and not stored(keys["Hid"])
