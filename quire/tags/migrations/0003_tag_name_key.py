"""Case-insensitive tag identity computed in Python: SQLite's LOWER() folds ASCII letters only,
so a unique index on LOWER(name) let "Éponine" and "éponine" both exist there."""

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag in Tag.objects.all().only("id", "name"):
        Tag.objects.filter(pk=tag.pk).update(name_key=tag.name.lower())


class Migration(migrations.Migration):
    dependencies = [("tags", "0002_seed_fixed_tags")]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="name_key",
            field=models.CharField(max_length=150, unique=True),
        ),
        migrations.RemoveConstraint(model_name="tag", name="tags_tag_name_ci_unique"),
    ]
