"""Hits (AO3.md §7): one per work per IP per day; creators' own views and drafts don't count.
Views only buffer; do_flush_hits adds the buffer to WorkStats.hits."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from quire.conftest import client_for
from quire.social.actions import do_flush_hits, do_record_hit, forget_recent_hits
from quire.social.models import HitBuffer
from quire.testing import make_work
from quire.works.models import WorkStats

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(author=alice, title="Much Read")


def hits(work) -> int:
    return WorkStats.objects.get(work=work).hits


def view(client, work, ip="10.0.0.1"):
    response = client.get(f"/works/{work.pk}", REMOTE_ADDR=ip)
    assert response.status_code == 200
    return response


def test_a_view_is_buffered_and_counted_by_the_flush(work, bob):
    view(client_for(bob), work)
    assert HitBuffer.objects.filter(work=work, flushed=False).count() == 1
    assert hits(work) == 0
    assert do_flush_hits() == 1
    assert hits(work) == 1


def test_one_hit_per_ip_per_day(work, bob, carol, client):
    view(client, work)
    view(client, work)
    view(client_for(bob), work)  # same IP, logged in: still the same visitor today
    forget_recent_hits()  # another app process: the database alone deduplicates
    view(client_for(carol), work)
    do_flush_hits()
    assert hits(work) == 1


def test_a_second_ip_counts(work, client):
    view(client, work, ip="10.0.0.1")
    view(client, work, ip="10.0.0.2")
    do_flush_hits()
    assert hits(work) == 2


def test_a_repeat_view_after_a_flush_still_does_not_count(work, client):
    view(client, work)
    do_flush_hits()
    forget_recent_hits()
    view(client, work)
    assert do_flush_hits() == 0
    assert hits(work) == 1


def test_the_next_day_counts_again(work):
    yesterday = timezone.now().date() - timedelta(days=1)
    HitBuffer.objects.create(work=work, ip_hash="x", day=yesterday)
    do_record_hit(work.pk, "10.0.0.1")
    assert do_flush_hits() == 2


def test_creators_own_views_do_not_count(work, alice):
    view(client_for(alice), work)
    assert not HitBuffer.objects.exists()


def test_drafts_do_not_count(alice):
    draft = make_work(author=alice, posted=False)
    view(client_for(alice), draft)
    assert not HitBuffer.objects.exists()


def test_chapter_pages_count(alice, client):
    chaptered = make_work(author=alice, chapters=2)
    chapter = chaptered.chapters.get(position=2)
    client.get(f"/works/{chaptered.pk}/chapters/{chapter.pk}", REMOTE_ADDR="10.0.0.1")
    do_flush_hits()
    assert hits(chaptered) == 1


def test_the_adult_gate_and_navigate_pages_do_not_count(alice, client):
    mature = make_work(author=alice, rating="Mature")
    client.get(f"/works/{mature.pk}")
    client.get(f"/works/{mature.pk}/navigate")
    assert not HitBuffer.objects.exists()


def test_guests_served_from_the_page_cache_count(work, client, django_assert_num_queries, settings):
    # The request limit's own count (lib/test_request_limit.py) is not this test's subject.
    settings.RATE_LIMIT_SAFE_NETWORKS = ["10.0.0.0/8"]
    view(client, work, ip="10.0.0.1")
    with django_assert_num_queries(1):  # the buffer insert, nothing else
        view(client, work, ip="10.0.0.2")
    with django_assert_num_queries(0):  # the same guest again: known to this process
        view(client, work, ip="10.0.0.2")
    assert do_flush_hits() == 2
    assert hits(work) == 2


def test_the_flush_adds_exactly_what_was_buffered_across_batches(alice):
    first, second = make_work(author=alice), make_work(author=alice, title="Other")
    for n in range(7):
        do_record_hit(first.pk, f"10.0.1.{n}")
    for n in range(3):
        do_record_hit(second.pk, f"10.0.2.{n}")
    assert do_flush_hits(batch_size=2) == 10
    assert (hits(first), hits(second)) == (7, 3)
    assert do_flush_hits() == 0
    assert (hits(first), hits(second)) == (7, 3)


def test_the_flush_forgets_days_that_are_over(work):
    old = timezone.now().date() - timedelta(days=3)
    HitBuffer.objects.create(work=work, ip_hash="x", day=old)
    do_flush_hits()
    assert hits(work) == 1
    assert not HitBuffer.objects.exists()


def test_the_command_flushes_on_demand(work, capsys):
    do_record_hit(work.pk, "10.0.0.1")
    call_command("flush_hits")
    assert "Added 1 hits." in capsys.readouterr().out
    assert hits(work) == 1


def test_a_hit_queues_the_flush_task_once_per_interval(
    work, settings, django_capture_on_commit_callbacks
):
    settings.HITS_FLUSH_SECONDS = 60  # the immediate backend runs it once queued
    with django_capture_on_commit_callbacks(execute=True) as queued:
        do_record_hit(work.pk, "10.0.0.1")
        do_record_hit(work.pk, "10.0.0.2")
    assert len(queued) == 1
    assert hits(work) == 2


def test_hits_show_in_the_stats_after_a_flush(work, bob):
    view(client_for(bob), work)
    do_flush_hits()
    page = client_for(bob).get(f"/works/{work.pk}").content.decode()
    assert '<dd class="hits">1</dd>' in page
