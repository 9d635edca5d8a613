import pytest
from django.conf import settings

# Real threads with their own connections need committed data. available_apps makes the
# teardown flush TRUNCATE ... CASCADE, which PostgreSQL needs for the raw-SQL search tables
# that reference works_work; serialized_rollback restores the data migrations seeded.
CONCURRENT = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, available_apps=list(settings.INSTALLED_APPS)
)
