from django.urls import path

from . import views

app_name = "social"
urlpatterns = [
    path("works/<int:work_id>/kudos", views.kudos_create, name="kudos-create"),
]
