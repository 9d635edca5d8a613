from allauth.account import views as allauth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("token_dispenser.json", views.token_dispenser, name="token-dispenser"),
    path("users/<str:login>", views.dashboard, name="dashboard"),
    path("users/<str:login>/pseuds", views.pseud_list, name="pseud-list"),
    path("users/<str:login>/pseuds/new", views.pseud_new, name="pseud-new"),
    path("users/<str:login>/pseuds/<str:pseud>", views.pseud_show, name="pseud-show"),
    path("users/<str:login>/pseuds/<str:pseud>/edit", views.pseud_edit, name="pseud-edit"),
    path("users/<str:login>/preferences", views.preferences, name="preferences"),
    # The profile, the login, the pseud's end and the account's (AO3's paths).
    path("users/<str:login>/profile", views.profile, name="profile"),
    path("users/<str:login>/profile/edit", views.profile_edit, name="profile-edit"),
    path("users/<str:login>/change_username", views.change_username, name="change-username"),
    path("users/<str:login>/delete", views.account_delete, name="account-delete"),
    path("users/<str:login>/pseuds/<str:pseud>/delete", views.pseud_delete, name="pseud-delete"),
    path("orphans", views.orphan_index, name="orphan-index"),
    path("orphans/new", views.orphan_new, name="orphan-new"),
    # AO3's paths for blocking and muting.
    path(
        "users/<str:login>/blocked/users",
        views.relation_index,
        {"kind": "block"},
        name="blocked-users",
    ),
    path(
        "users/<str:login>/blocked/users/confirm_block",
        views.relation_confirm,
        {"kind": "block"},
        name="confirm-block",
    ),
    path(
        "users/<str:login>/blocked/users/confirm_unblock",
        views.relation_remove,
        {"kind": "block"},
        name="confirm-unblock",
    ),
    path(
        "users/<str:login>/muted/users", views.relation_index, {"kind": "mute"}, name="muted-users"
    ),
    path(
        "users/<str:login>/muted/users/confirm_mute",
        views.relation_confirm,
        {"kind": "mute"},
        name="confirm-mute",
    ),
    path(
        "users/<str:login>/muted/users/confirm_unmute",
        views.relation_remove,
        {"kind": "mute"},
        name="confirm-unmute",
    ),
]

# AO3's paths for allauth's views. They keep allauth's URL names (no namespace), so allauth's
# own redirects and templates land here too.
auth_urlpatterns = [
    path("users/login", views.login, name="account_login"),
    path("users/logout", allauth_views.logout, name="account_logout"),
    # AO3's path for asking to reset a password.
    path("users/password/new", allauth_views.password_reset, name="account_reset_password"),
    path("signup", views.signup, name="account_signup"),
    # AO3's /signup/:invitation_token, the link an invitation mails.
    path("signup/<str:token>", views.signup, name="account_signup_invited"),
]

# allauth's own path to the same sign-up, before allauth's include takes it: otherwise it
# would skip the sign-up rules of views/signup.py (invitations, the closed page, the limit).
allauth_overrides = [path("accounts/signup/", views.signup)]
