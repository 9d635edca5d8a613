"""Races, on PostgreSQL only (SQLite serializes writers): real threads, each with its own
connection, on committed data.

One transactional test holds every race: its teardown must TRUNCATE ... CASCADE (the raw-SQL
search tables reference works_work), which takes available_apps, and restoring the seeded data
(serialized_rollback) works once per session with it."""

import os
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from quire.conftest import client_for
from quire.social.actions import KudosError, do_flush_hits, do_leave_kudos, do_subscribe
from quire.social.actions.notifications import do_send_notifications
from quire.social.models import Comment, HitBuffer, Kudo, SubscriptionNotice
from quire.testing import chapter_input, make_user, make_work, past_spam_traps
from quire.works.actions import do_add_chapter
from quire.works.models import Work, WorkStats

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="SQLite serializes writers; the races need PostgreSQL.",
    ),
    pytest.mark.django_db(
        transaction=True,
        serialized_rollback=True,
        available_apps=list(settings.INSTALLED_APPS),
    ),
]


def kudos_count(work) -> int:
    return WorkStats.objects.get(work=work).kudos_count


def hits(work) -> int:
    return WorkStats.objects.get(work=work).hits


def test_races_lose_nothing_and_count_nothing_twice():
    author = make_user("author")
    fifty_readers_at_once_leave_exactly_fifty_kudos(author)
    two_flushes_at_once_lose_nothing_and_count_nothing_twice(author)
    two_notification_batches_at_once_mail_each_subscriber_once(author)
    a_new_account_posting_at_once_stays_within_the_rate_limit(author)
    a_guest_posting_at_once_stays_within_the_rate_limit(author)


def fifty_readers_at_once_leave_exactly_fifty_kudos(author):
    target = make_work(author=author)
    readers = [make_user(f"reader{n}") for n in range(50)]
    barrier = threading.Barrier(len(readers))
    errors: list[BaseException] = []

    def leave(reader):
        try:
            work = Work.objects.get(pk=target.pk)
            barrier.wait()
            do_leave_kudos(work, user=reader)
            # A second click from the same reader, racing the others, never counts.
            with pytest.raises(KudosError):
                do_leave_kudos(work, user=reader)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(reader,)) for reader in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Kudo.objects.filter(work=target).count() == 50
    assert kudos_count(target) == 50


def two_flushes_at_once_lose_nothing_and_count_nothing_twice(author):
    works = [make_work(author=author, title=f"Work {n}") for n in range(5)]
    day = timezone.now().date()
    HitBuffer.objects.bulk_create(
        HitBuffer(work=work, ip_hash=f"{n:04d}", day=day) for work in works for n in range(400)
    )
    barrier = threading.Barrier(2)
    added: list[int] = []
    errors: list[BaseException] = []

    def flush():
        try:
            barrier.wait()
            added.append(do_flush_hits(batch_size=50))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(added) == 2000
    assert [hits(work) for work in works] == [400] * 5
    assert not HitBuffer.objects.filter(flushed=False).exists()


def two_notification_batches_at_once_mail_each_subscriber_once(author):
    work = make_work(author=author, title="Serial", expected_chapters=3)
    readers = [make_user(f"subscriber{n}") for n in range(40)]
    for reader in readers:
        do_subscribe(reader, work=work)
        do_subscribe(reader, to_user=author)
    do_add_chapter(work, chapter_input("<p>Two.</p>"), post=True)
    make_work(author=author, title="Another")
    mail.outbox = []
    barrier = threading.Barrier(2)
    results = []
    errors: list[BaseException] = []

    def send():
        try:
            barrier.wait()
            results.append(do_send_notifications(subscribers_per_round=3))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result.emails for result in results) == 40
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        reader.email for reader in readers
    )
    assert all(" and 1 more" in message.subject for message in mail.outbox)
    assert not SubscriptionNotice.objects.filter(delivered_at__isnull=True).exists()
    assert SubscriptionNotice.objects.filter(emailed_at__isnull=False).count() == 80


def _post_comments_at_once(work, *, user, count: int) -> list[int]:
    """`count` threads post a comment on `work` at once, as `user` (None: a guest from one IP),
    through the view's check; returns the statuses (302 posted, 429 refused)."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def comment(n):
        try:
            client = client_for(user)
            data = {"comment[comment_content]": f"Thought number {n}."}
            if user is None:
                data.update({"comment[name]": "Guest", "comment[email]": "g@example.org"})
                data.update(past_spam_traps())
            barrier.wait()
            response = client.post(f"/works/{work.pk}/comments", data, REMOTE_ADDR="10.1.1.1")
            statuses.append(response.status_code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=comment, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


def a_new_account_posting_at_once_stays_within_the_rate_limit(author):
    assert settings.COMMENT_RATE_LIMIT == 3 and settings.COMMENT_NEW_ACCOUNT_DAYS > 0
    work = make_work(author=author, title="Racing comments")
    newcomer = make_user("newcomer")
    statuses = _post_comments_at_once(work, user=newcomer, count=8)
    assert sorted(statuses) == [302] * 3 + [429] * 5
    assert Comment.objects.filter(user=newcomer).count() == 3


def a_guest_posting_at_once_stays_within_the_rate_limit(author):
    work = make_work(author=author, title="Racing guest comments")
    statuses = _post_comments_at_once(work, user=None, count=8)
    assert sorted(statuses) == [302] * 3 + [429] * 5
    assert Comment.objects.filter(work=work, user__isnull=True).count() == 3
