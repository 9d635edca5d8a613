"""Tag.shown_to_guests / shown_to_users: who besides wranglers may see a tag (issue 11), the
autocomplete indexes that read them, and their first values.

Data migrations never import app code, so the rule of tags.audience.refresh_tag_audience and
of works.queries.visible_works is copied here (tests/test_tag_audience.py checks the two
agree): canonical tags are shown to everyone; any other tag to guests when a listed work
(posted, not hidden by an admin, not in an unrevealed collection, not restricted) or a public
bookmark of one (or of a series holding one) uses it, and to logged-in readers when such a
work or bookmark, restricted works counted, does.
"""

from django.db import migrations, models
from django.db.models import Q


def _used_tag_ids(apps, *, guests: bool):
    Work = apps.get_model("works", "Work")
    Tagging = apps.get_model("works", "Tagging")
    SerialWork = apps.get_model("works", "SerialWork")
    Bookmark = apps.get_model("social", "Bookmark")
    works = Work.objects.filter(posted=True, hidden_by_admin=False, in_unrevealed_collection=False)
    if guests:
        works = works.filter(restricted=False)
    work_ids = works.values("pk")
    series_ids = SerialWork.objects.filter(work_id__in=work_ids).values("series_id")
    bookmarks = Bookmark.objects.filter(private=False).filter(
        Q(work_id__in=work_ids) | Q(series_id__in=series_ids)
    )
    return (
        Tagging.objects.filter(work_id__in=work_ids).values("tag_id"),
        Bookmark.tags.through.objects.filter(bookmark__in=bookmarks).values("tag_id"),
    )


def compute_audience(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    Tag.objects.update(shown_to_guests=False, shown_to_users=False)
    Tag.objects.filter(canonical=True).update(shown_to_guests=True, shown_to_users=True)
    for guests in (False, True):
        flags = {"shown_to_users": True}
        if guests:
            flags["shown_to_guests"] = True
        for used in _used_tag_ids(apps, guests=guests):
            Tag.objects.filter(pk__in=used).update(**flags)


def create_indexes(apps, schema_editor):
    # As migration 0006's: per database, so PostgreSQL's range matches a binary prefix.
    tag = schema_editor.quote_name(apps.get_model("tags", "Tag")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        name_key = '(name_key COLLATE "C")'
    else:
        name_key = "name_key"
    for audience in ("guests", "users"):
        schema_editor.execute(
            f"CREATE INDEX tags_tag_autocomplete_{audience}_idx "
            f"ON {tag} (type, canonical, shown_to_{audience}, {name_key})"
        )


def drop_indexes(apps, schema_editor):
    for audience in ("guests", "users"):
        schema_editor.execute(f"DROP INDEX tags_tag_autocomplete_{audience}_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0006_autocomplete_words_and_indexes"),
        ("works", "0003_crossover_and_otp_flags"),
        ("social", "0006_subscriptions_and_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="shown_to_guests",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="tag",
            name="shown_to_users",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(compute_audience, migrations.RunPython.noop),
    ]
