from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("staff/hide/<str:kind>/<int:target_id>", views.hide, name="hide"),
    path("staff/unhide/<str:kind>/<int:target_id>", views.unhide, name="unhide"),
    path("staff/comments", views.comment_list, name="comments"),
    path("staff/users/<str:login>/spammer", views.spammer, name="spammer"),
]
