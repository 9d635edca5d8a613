from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "quire.social"
    label = "social"
