"""Seed AO3's media (canonical tags of type media), including the bin new fandoms start in."""

from django.db import migrations

MEDIA = [
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
    "Uncategorized Fandoms",
]


def seed(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for name in MEDIA:
        Tag.objects.update_or_create(
            name_key=name.lower(), defaults={"name": name, "type": "media", "canonical": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("tags", "Tag").objects.filter(type="media", name__in=MEDIA).delete()


class Migration(migrations.Migration):
    dependencies = [("tags", "0004_wrangling_and_filter_table")]
    operations = [migrations.RunPython(seed, unseed)]
