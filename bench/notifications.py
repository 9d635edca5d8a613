"""Subscription notification batch: what one hourly run costs per subscriber.

Builds, in the test database, one writer followed by N readers (each subscribed to the writer
and to one of their works), posts a chapter and two new works (3 notices per reader, 3N in
all), then times do_send_notifications (Django's locmem mail backend, so the mail server's
own time is left out) and counts its queries. Also times the posting itself, which records
the notices in its transaction.

Run: `.venv/bin/pytest bench/notifications.py -s -p no:randomly [--readers N]`; with
DATABASE_URL set (PostgreSQL) it runs there.
"""

import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quire.social.actions import do_subscribe
from quire.social.actions.notifications import do_send_notifications
from quire.social.models import SubscriptionNotice
from quire.testing import chapter_input, make_user, make_work
from quire.works.actions import do_add_chapter

READERS = 500


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NOTIFICATIONS_SECONDS = 0


@pytest.mark.django_db
def test_notification_batch(readers=READERS):
    writer = make_user("writer")
    work = make_work(author=writer, title="Serial", expected_chapters=2)
    for n in range(readers):
        reader = make_user(f"reader{n}")
        do_subscribe(reader, to_user=writer)
        do_subscribe(reader, work=work)

    began = time.perf_counter()
    with CaptureQueriesContext(connection) as posting:
        do_add_chapter(work, chapter_input("<p>Two.</p>"), post=True)
        make_work(author=writer, title="Another")
        make_work(author=writer, title="And Another")
    posted = time.perf_counter() - began
    assert SubscriptionNotice.objects.count() == 3 * readers

    mail.outbox = []
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as batch:
        result = do_send_notifications()
    sent = time.perf_counter() - began
    assert result.emails == readers == len(mail.outbox)

    print(
        f"\n[bench] {connection.vendor}: {readers:,} readers, {3 * readers:,} notices\n"
        f"[bench] posting (chapter + 2 works, notices recorded): {posted * 1000:.0f} ms, "
        f"{len(posting)} queries\n"
        f"[bench] batch: {sent:.2f} s ({sent / readers * 1000:.2f} ms per reader), "
        f"{len(batch)} queries ({len(batch) / readers:.2f} per reader), "
        f"{result.emails:,} e-mails"
    )
