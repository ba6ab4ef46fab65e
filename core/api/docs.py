"""The API's schema and its Swagger UI page, for signed-in users only.

The schema describes every operation and field of the case records: no reason to hand it to anyone
on the network. ``SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]`` requires a signed-in user (session or
token) for both; an anonymous API client gets 401, an anonymous browser the login page."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. Its start-up script is served from its own address (``?script``), not inline in the
    page, so that the Content-Security-Policy can keep ``script-src 'self'``."""

    # A page, not an API answer: an anonymous visitor is sent to sign in (APIView says Response).
    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
