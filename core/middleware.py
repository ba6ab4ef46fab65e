"""Middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that may carry personal data: any response to a
    signed-in user, and every ``/api/`` response (a token client is signed in only inside DRF's view).

    A shared computer's browser cache, or a proxy between the agency and the centre, must not keep a
    case page. A view that set ``Cache-Control`` itself made its own choice and keeps it (the calendar
    feed, the document faces). Static files never get here: WhiteNoise answers them earlier in
    ``MIDDLEWARE`` and they stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if request.path_info.startswith("/api/") or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response
