"""Request types for annotations. Behind ``login_required`` (or ``capability_required``) and DRF's
``IsAuthenticated`` (the API's default permission), ``request.user`` is a signed-in Huajie ``User``;
django-stubs cannot know that, so views say it with these types."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request

    from .models import User

    class AuthenticatedRequest(Request):
        """An API request that passed ``IsAuthenticated`` (a type only: DRF builds the request)."""

        @property  # narrower than Request.user: that is the point
        def user(self) -> User: ...
        @user.setter
        def user(self, value: User | AnonymousUser) -> None: ...


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page that requires sign-in (a type only: Django builds the request)."""

    user: User


def attachment(filename: str, fallback: str) -> str:
    """A ``Content-Disposition`` for a download (RFC 6266/5987): ``fallback``, in ASCII, for old clients,
    the (Chinese) ``filename`` for everyone else."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
