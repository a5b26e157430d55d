from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView

from . import health, language, media, views
from .admin_tools import admin_login
from .api.docs import api_docs
from .search.views import search

admin.site.site_header = "Koproduktion"
admin.site.site_title = "Koproduktion"
admin.site.login = admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("coproduction/", views.matrix, name="matrix"),
    path("search/", search, name="search"),
    path("notifications/", include("notifications.urls")),
    # Each feature app names where its pages live: AppConfig.url_prefix.
    *[path(config.url_prefix, include(f"{config.name}.urls")) for config in apps.get_app_configs()
      if getattr(config, "url_prefix", None)],
    path("api/", api_docs, name="api_docs"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/", include(("coproduction.api.urls", "api"))),
    path("language/", language.switch_language, name="switch_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Only a local MEDIA_URL ("/media/") is answered here, and only while MEDIA_SERVE is on.
    *([path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media, name="media")]
      if settings.MEDIA_URL.startswith("/") and settings.MEDIA_URL.strip("/") else []),
    path("", include("stakeholders.urls")),
]
