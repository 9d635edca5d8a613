from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("works/import", views.import_new, name="import-new"),
    path("works/import/<int:batch_id>", views.import_show, name="import-show"),
]
