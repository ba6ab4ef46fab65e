"""The lockout check (django-axes) as an authentication backend."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked account before its password is checked. A call without a request is not a
    sign-in from outside (a management command, the test client's ``login``): it is let through to the
    password check, which it would otherwise be refused with an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
