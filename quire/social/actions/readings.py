"""Writes of reading history and Marked for Later."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from quire.accounts.models import Preference
from quire.works.models import Work
from quire.works.permissions import is_creator

from ..models import Reading


def do_record_reading(user, work: Work) -> bool | None:
    """Record that `user` viewed `work` in their reading history; return the entry's Marked
    for Later flag, or None when nothing was recorded.

    Nothing for guests, drafts, the work's own creators, or a user whose history is off. The
    caller fetched the work through access_work. One statement (an INSERT that, on the
    user-and-work conflict, adds one to the views in the database), so views racing each other
    all count and a reader's page pays a single query for it.
    """
    if not user.is_authenticated or not work.posted or is_creator(user, work):
        return None
    quote = connection.ops.quote_name
    now = timezone.now()
    # Only the models' own table names are formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Reading._meta.db_table)} "  # noqa: S608
        "(user_id, work_id, first_viewed_at, last_viewed_at, views, chapters_posted_at_view,"
        " toread) "
        "SELECT %s, %s, %s, %s, 1, %s, %s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {quote(Preference._meta.db_table)} "
        "WHERE user_id = %s AND history_enabled = %s) "
        "ON CONFLICT (user_id, work_id) DO UPDATE SET "
        "last_viewed_at = excluded.last_viewed_at, "
        f"views = {quote(Reading._meta.db_table)}.views + 1, "
        "chapters_posted_at_view = excluded.chapters_posted_at_view "
        "RETURNING toread"
    )
    field = Reading._meta.get_field("last_viewed_at")
    stamp = field.get_db_prep_value(now, connection)
    params = [user.pk, work.pk, stamp, stamp, work.posted_chapter_count, False, user.pk, False]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else bool(row[0])


def do_mark_for_later(user, work: Work, *, toread: bool = True) -> None:
    """Mark `work` for later (or, with toread=False, as read) for `user`.

    Works with history off too, as on AO3: marking creates the reading row when needed (with
    no views). Marking as read a work never recorded writes nothing. The caller fetched the
    work through access_work and checked it is posted.
    """
    if Reading.objects.filter(user=user, work=work).update(toread=toread) or not toread:
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user=user,
                work=work,
                toread=True,
                chapters_posted_at_view=work.posted_chapter_count,
            )
    except IntegrityError:
        Reading.objects.filter(user=user, work=work).update(toread=True)


def do_delete_reading(reading: Reading) -> None:
    """Clear one entry of a reading history (its Marked for Later flag goes with it)."""
    Reading.objects.filter(pk=reading.pk).delete()


def do_clear_readings(user) -> int:
    """Clear the user's whole reading history; returns how many entries went."""
    deleted, _ = Reading.objects.filter(user=user).delete()
    return deleted
