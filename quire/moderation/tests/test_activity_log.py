import pytest

from quire.moderation.actions import do_log
from quire.moderation.queries import log_about, log_for
from quire.testing import make_work

pytestmark = pytest.mark.django_db


def test_an_entry_names_its_target_and_the_account_concerned(alice, bob):
    work = make_work(author=alice, title="Hidden Things")
    entry = do_log(bob, "hide", work, subject=alice, note="Spam links")
    assert list(log_for(work)) == [entry]
    assert list(log_about(alice)) == [entry]
    assert entry.target_label == "Hidden Things"


def test_an_action_on_a_user_concerns_that_user(alice, bob):
    entry = do_log(bob, "suspend", alice)
    assert list(log_about(alice)) == [entry]
