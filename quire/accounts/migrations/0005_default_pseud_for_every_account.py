"""Accounts made by `createsuperuser` or the admin's add form before those went through
do_create_user had no pseud, so they could neither post nor import. Give each account without a
default pseud one: its pseud named like its login if it has one, else a new one so named."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def give_every_account_a_default_pseud(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Pseud = apps.get_model("accounts", "Pseud")
    has_default = Pseud.objects.filter(user=OuterRef("pk"), is_default=True)
    for user in User.objects.filter(~Exists(has_default)).iterator():
        same_name = Pseud.objects.filter(user=user, name__iexact=user.username).first()
        if same_name is not None:
            same_name.is_default = True
            same_name.save(update_fields=["is_default"])
        else:
            Pseud.objects.create(user=user, name=user.username, is_default=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_preference_subscription_emails")]

    operations = [
        migrations.RunPython(give_every_account_a_default_pseud, migrations.RunPython.noop),
    ]
