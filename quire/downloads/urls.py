from django.urls import path, register_converter

from . import views


class FormatConverter:
    """The extensions of AO3's download URLs (AO3.md §8)."""

    regex = "azw3|epub|mobi|pdf|html"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "download_ext")

app_name = "downloads"
urlpatterns = [
    path(
        "downloads/series/<int:series_id>/<str:file_name>.epub",
        views.series_download,
        name="series-download",
    ),
    path(
        "downloads/<int:work_id>/<str:file_name>.<download_ext:ext>",
        views.work_download,
        name="work-download",
    ),
]
