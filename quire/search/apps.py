from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "quire.search"
    label = "search"

    def ready(self) -> None:
        from .index import index_missing_after_migrate

        # An archive that existed before the search index (or was restored without it) gets
        # its works indexed by `migrate`, so listings are never silently empty.
        post_migrate.connect(index_missing_after_migrate, sender=self)
