from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "quire.backup"
    label = "backup"
