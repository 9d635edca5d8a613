"""The database table behind the "ratelimit" cache (settings.CACHES), where every worker
counts failed logins. Django's own createcachetable makes it, for whichever database-backed
caches the settings name (none when REDIS_URL puts them in Redis)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_manager_makes_default_pseud")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
