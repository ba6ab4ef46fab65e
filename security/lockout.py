"""django-axes, told how Huajie names an account and how to say that it is locked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.api.exceptions import is_api
from core.models import normalise_username


def username_of(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt is for: the normalised user name, from the credentials or the form."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or ""
    elif request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username", "")
    return normalise_username(str(raw))


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-ins: this account is locked for %(minutes)d minutes. "
        "Try again later, or ask the security administrator to unlock it."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with the reason: JSON under /api/, the sign-in page (with the message) elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": lockout_message()}, status=429)
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )
