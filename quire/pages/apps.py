from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "quire.pages"
    label = "pages"
    verbose_name = "Site pages and settings"
