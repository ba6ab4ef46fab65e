from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from core.views import healthz

admin.site.site_header = _("Huajie administration")
admin.site.site_title = _("Huajie")
admin.site.index_title = _("Organisations, users and reference data")

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("documents.api.urls")),
    path("", include("deadlines.api.urls")),
    path("disputes/", include("disputes.api.urls")),
    path("", include("core.api.urls")),
]

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("healthz", healthz, name="healthz"),
    path("documents/", include("documents.urls")),
    path("disputes/", include("disputes.urls")),
    path("", include("core.urls")),
]

# MEDIA_ROOT is never served, not even under DEBUG: uploads and issued PDFs leave the server only through
# the views that check the case's reach (disputes:attachment-download, documents:download and the API).
