from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from quire.accounts.urls import allauth_overrides, auth_urlpatterns

from .views import home

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    *allauth_overrides,
    path("accounts/", include("allauth.urls")),
    # After allauth's own include: Django reverses a duplicated name to the last pattern,
    # so allauth's links point at AO3's paths.
    *auth_urlpatterns,
    path("", include("quire.accounts.urls")),
    path("", include("quire.invitations.urls")),
    # Before the works URLs, so /works/search is never taken for a work.
    path("", include("quire.search.urls")),
    path("", include("quire.imports.urls")),
    path("", include("quire.works.urls")),
    path("", include("quire.social.urls")),
    path("", include("quire.downloads.urls")),
    path("", include("quire.backup.urls")),
    path("", include("quire.pages.urls")),
    path("", include("quire.tags.urls")),
    path("", include("quire.tags.wrangling_urls")),
    path("", include("quire.moderation.urls")),
    path("", include("quire.news.urls")),
    path(
        "help/symbols-key.html",
        TemplateView.as_view(template_name="help/symbols_key.html"),
        name="help-symbols",
    ),
]

# Uploaded files (pseud icons) in development; in production the web server in front serves
# MEDIA_ROOT at MEDIA_URL (.env.example).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
