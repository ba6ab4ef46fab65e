from csp.constants import SELF, UNSAFE_INLINE
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView

from core.api.docs import ApiDocsView
from core.api.exceptions import api_error, api_not_found, is_api
from core.views import healthz

admin.site.site_header = _("Huajie administration")
admin.site.site_title = _("Huajie")
admin.site.index_title = _("Organisations, users and reference data")

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("security.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # For signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]; core.api.docs).
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("documents.api.urls")),
    path("", include("deadlines.api.urls")),
    path("", include("notifications.api.urls")),
    path("disputes/", include("disputes.api.urls")),
    path("disputes/", include("hearings.api.urls")),
    path("hearings/", include("hearings.api.urls_hearings")),
    path("disputes/", include("legal_aid.api.urls")),
    path("legal-aid/", include("legal_aid.api.urls_legal_aid")),
    path("followups/", include("followups.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("", include("core.api.urls")),
    # Last: any other /api/ address (a malformed id, an unknown path) is a JSON 404, never a page.
    re_path(r"", api_not_found, name="api-not-found"),
]

urlpatterns = [
    path("accounts/", include("security.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    path("healthz", healthz, name="healthz"),
    path("documents/", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("disputes/", include("disputes.urls")),
    path("hearings/", include("hearings.urls")),
    path("legal-aid/", include("legal_aid.urls")),
    path("followups/", include("followups.urls")),
    path("reports/", include("reports.urls")),
    path("", include("core.urls")),
]

# MEDIA_ROOT is never served, not even under DEBUG: uploads and issued PDFs leave the server only through
# the views that check the case's reach (disputes:attachment-download, documents:download and the API).


# Errors raised outside DRF's views (or a crash) answer JSON under /api/ and the site's pages elsewhere.
def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    return api_error(request, 400) if is_api(request) else defaults.bad_request(request, exception)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return api_error(request, 403) if is_api(request) else defaults.permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return api_error(request, 404) if is_api(request) else defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(request, 500)
    response = defaults.server_error(request)
    # 500.html stands alone (its own <style>, no static file: it must show whatever else is broken) and
    # holds no data of the request: its inline style is allowed, as django-csp's csp_replace would.
    response._csp_replace = {"style-src": [SELF, UNSAFE_INLINE]}  # type: ignore[attr-defined]
    return response
