from django.urls import path

from . import views

app_name = "backup"

urlpatterns = [
    path("users/<str:login>/works/export.zip", views.works_export, name="works-export"),
]
