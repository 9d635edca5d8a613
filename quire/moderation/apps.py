from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender: AppConfig, **kwargs) -> None:
    # post_migrate is sent once per app, each after that app's permissions are created; the
    # roles hold other apps' permissions, so they are synced after the last app's.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return
    from .roles import sync_staff_roles

    sync_staff_roles()


class ModerationConfig(AppConfig):
    name = "quire.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="quire.moderation.roles")
