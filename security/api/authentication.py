"""``Authorization: Token <key>`` against ``security.ApiToken`` (expiring, revocable, stored hashed)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from ..tokens import token_for_key


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token: sign in again."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
