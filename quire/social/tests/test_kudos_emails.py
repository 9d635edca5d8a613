"""Comment and kudos e-mails and the preferences that turn them off: the daily kudos digest,
comment e-mails to creators and to the answered commenter, copies of one's own comments, the
inbox switch, and guests' replies refused by a commenter."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command

from quire.accounts.actions import do_update_preferences
from quire.social.actions import do_leave_kudos
from quire.social.actions.kudos_digests import do_send_kudos_digests
from quire.social.models import InboxComment, Kudo
from quire.social.permissions import NO_GUEST_REPLIES, comment_refusal
from quire.testing import make_comment, make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Kudos Welcome")


def subjects(to: str) -> list[str]:
    return [str(message.subject) for message in mail.outbox if message.to == [to]]


# The kudos digest


def test_the_digest_tells_each_creator_once_of_all_their_kudos(alice, bob, carol, work):
    other = make_work(author=alice, title="Second Helping")
    do_leave_kudos(work, user=bob)
    do_leave_kudos(work, user=carol)
    do_leave_kudos(work, ip="10.0.0.1")
    do_leave_kudos(other, ip="10.0.0.2")
    do_leave_kudos(other, ip="10.0.0.3")
    assert mail.outbox == []  # nothing until the digest
    result = do_send_kudos_digests()
    assert (result.kudos, result.emails) == (5, 1)
    [message] = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "[Quire] You've got kudos!"
    assert "bob, carol and 1 guest left kudos on Kudos Welcome." in message.body
    assert "2 guests left kudos on Second Helping." in message.body
    assert f"/works/{work.pk}" in message.body
    # Told once: the next digest has nothing to say.
    mail.outbox.clear()
    assert do_send_kudos_digests().emails == 0
    assert mail.outbox == []
    assert not Kudo.objects.filter(mailed=False).exists()


def test_a_creator_with_kudos_emails_off_gets_no_digest(alice, bob, work):
    do_update_preferences(alice, kudos_emails_off=True)
    do_leave_kudos(work, user=bob)
    assert do_send_kudos_digests().emails == 0
    assert mail.outbox == []
    # Those kudos are not saved up for later either.
    do_update_preferences(alice, kudos_emails_off=False)
    assert do_send_kudos_digests().emails == 0


def test_co_creators_each_get_their_own_digest(alice, bob, carol):
    work = make_work(
        author=alice,
        pseuds=[alice.pseuds.get(is_default=True), carol.pseuds.get(is_default=True)],
    )
    do_leave_kudos(work, user=bob)
    do_send_kudos_digests()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, carol.email])


def test_the_command_sends_the_digest(alice, bob, work, capsys):
    do_leave_kudos(work, user=bob)
    call_command("send_kudos_digests")
    assert "Told 1 kudos in 1 e-mails." in capsys.readouterr().out
    assert subjects(alice.email) == ["[Quire] You've got kudos!"]


def test_the_first_kudos_of_the_day_queues_the_digest(
    alice, bob, carol, work, settings, django_capture_on_commit_callbacks
):
    settings.KUDOS_DIGEST_SECONDS = 86400  # the immediate backend runs it at once
    with django_capture_on_commit_callbacks(execute=True):
        do_leave_kudos(work, user=bob)
    assert subjects(alice.email) == ["[Quire] You've got kudos!"]
    with django_capture_on_commit_callbacks(execute=True):
        do_leave_kudos(work, user=carol)  # within the interval: waits for the next digest
    assert len(mail.outbox) == 1
    assert Kudo.objects.filter(mailed=False).count() == 1


# Comments


def test_a_comment_e_mails_the_creator_unless_their_preference_says_not(alice, bob, work):
    make_comment(work, user=bob)
    assert subjects(alice.email) == ["[Quire] Comment on Kudos Welcome"]
    assert "bob left a comment on your work Kudos Welcome" in mail.outbox[0].body
    assert subjects(bob.email) == []  # AO3's default: no copy of one's own comment
    mail.outbox.clear()
    do_update_preferences(alice, comment_emails_off=True)
    make_comment(work, user=bob, text="Another thought, after a night's sleep.")
    assert mail.outbox == []
    # The inbox still has both.
    assert InboxComment.objects.filter(user=alice).count() == 2


def test_a_reply_e_mails_the_commenter_it_answers(alice, bob, carol, work):
    parent = make_comment(work, user=bob)
    mail.outbox.clear()
    make_comment(work, user=carol, parent=parent, text="I thought so too!")
    assert subjects(bob.email) == ["[Quire] Reply to your comment on Kudos Welcome"]
    assert subjects(alice.email) == ["[Quire] Comment on Kudos Welcome"]


def test_a_commenter_who_wants_copies_gets_one(alice, bob, work):
    do_update_preferences(bob, comment_copy_to_self_off=False)
    make_comment(work, user=bob)
    assert subjects(bob.email) == ["[Quire] Comment you left on Kudos Welcome"]


def test_comment_inbox_off_keeps_comments_out_of_the_inbox_but_still_mails(alice, bob, work):
    do_update_preferences(alice, comment_inbox_off=True)
    make_comment(work, user=bob)
    assert not InboxComment.objects.filter(user=alice).exists()
    assert subjects(alice.email) == ["[Quire] Comment on Kudos Welcome"]


def test_a_guests_comment_e_mails_the_creator(alice, work):
    make_comment(work, guest_name="Wanderer")
    assert "Wanderer (Guest) left a comment" in mail.outbox[0].body


# Guest replies


def test_a_commenter_may_refuse_guest_replies_on_other_users_works(alice, bob, work):
    parent = make_comment(work, user=bob)
    assert comment_refusal(AnonymousUser(), work, parent) is None
    do_update_preferences(bob, guest_replies_off=True)
    assert comment_refusal(AnonymousUser(), work, parent) == NO_GUEST_REPLIES
    # Registered readers may still reply, and guests may start their own threads.
    assert comment_refusal(make_user("dora"), work, parent) is None
    assert comment_refusal(AnonymousUser(), work) is None
    # On the commenter's own work, the work's comment setting decides.
    own = make_work(author=bob, title="Bob's Own")
    assert comment_refusal(AnonymousUser(), own, make_comment(own, user=bob)) is None
