from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "quire.invitations"
    label = "invitations"
    verbose_name = "Invitations"
