"""Seed AO3's fixed tag sets (AO3.md §1). A copy of the lists, not an import of app code,
so this migration means the same thing forever; tests check it agrees with tags/fixed.py."""

from django.db import migrations

RATINGS = ["Not Rated", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit"]
WARNINGS = [
    "Choose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
FIXED = [("rating", RATINGS), ("warning", WARNINGS), ("category", CATEGORIES)]


def seed(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED:
        for name in names:
            Tag.objects.update_or_create(name=name, defaults={"type": tag_type, "canonical": True})


def unseed(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED:
        Tag.objects.filter(type=tag_type, name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_tag")]
    operations = [migrations.RunPython(seed, unseed)]
