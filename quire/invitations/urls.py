from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("invite_requests", views.invite_request_new, name="request-new"),
    path("invite_requests/status", views.invite_request_status, name="request-status"),
    path("users/<str:login>/invitations", views.user_invitations, name="user-invitations"),
    path("users/<str:login>/invitations/<int:pk>", views.invitation_send, name="invitation-send"),
    path("staff/invitations", views.staff_invitations, name="staff"),
]
