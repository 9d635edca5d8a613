from django.urls import path, re_path

from . import views

app_name = "pages"

# AO3's URLs for the rules pages: /tos, /content, /privacy, /faq, /about.
_SLUG = r"(?P<slug>tos|content|privacy|faq|about)"

urlpatterns = [
    path("tos/accept", views.terms_accept, name="terms-accept"),
    re_path(rf"^{_SLUG}$", views.rule_show, name="rule-show"),
    re_path(rf"^{_SLUG}/versions$", views.rule_versions_index, name="rule-versions"),
    re_path(
        rf"^{_SLUG}/versions/(?P<number>[0-9]+)$", views.rule_version_show, name="rule-version"
    ),
    re_path(rf"^{_SLUG}/edit$", views.rule_edit, name="rule-edit"),
    path("staff/settings", views.site_settings_edit, name="site-settings"),
    path("banner/dismiss", views.banner_dismiss, name="banner-dismiss"),
]
