"""New accounts now confirm their e-mail address before they can log in. Accounts made by an
admin, a command or the demo seeding never had an address row at all (sign-up makes one, even
when unconfirmed): without this they could not log in any more. Their address counts as
confirmed, as do_create_user now records it for such accounts."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def confirm_addresses_made_without_sign_up(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    has_row = EmailAddress.objects.filter(user=OuterRef("pk"))
    taken = set(EmailAddress.objects.values_list("email", flat=True))
    for user in User.objects.exclude(email="").filter(~Exists(has_row)).iterator():
        if user.email.lower() in taken:
            continue  # another account has that address on record; leave this one to an admin
        taken.add(user.email.lower())
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_ratelimit_cache_table"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(confirm_addresses_made_without_sign_up, migrations.RunPython.noop)
    ]
