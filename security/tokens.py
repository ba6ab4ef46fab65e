"""API tokens: issued at sign-in on the API, kept only as a hash, ended by expiry, sign-out or a new
password."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import AlreadyEnded, ApiToken, AuditAction, token_digest


def token_issue(*, user: Any, ip: str | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key, which is never shown again."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_HOURS),
        ip=ip,
    )
    audit.record(AuditAction.TOKEN_ISSUED, user=user, obj=token, label=f"{token.prefix}…")
    return token, key


def token_for_key(key: str) -> ApiToken | None:
    """The live token with this key, or None (unknown, expired or revoked)."""
    token = ApiToken.objects.active().select_related("user").filter(digest=token_digest(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def own_token_revoke(*, user: Any, pk: int) -> None:
    """Revoke one of ``user``'s live tokens; raises AlreadyEnded if it is none of theirs (or over)."""
    token = ApiToken.objects.active().filter(user=user, pk=pk).first()
    if token is None:
        raise AlreadyEnded(_("That token has already ended."))
    tokens_revoke(user_id=user.pk, reason="user", only=token)


def tokens_revoke(*, user_id: int, reason: str, only: ApiToken | None = None) -> int:
    """End the user's live tokens (or just ``only``); returns how many."""
    live = ApiToken.objects.filter(user_id=user_id, revoked_at__isnull=True)
    if only is not None:
        live = live.filter(pk=only.pk)
    count = live.update(revoked_at=timezone.now(), revoked_reason=reason)
    if count:
        audit.record(
            AuditAction.TOKEN_REVOKED,
            user=None,
            object_type="security.apitoken",
            object_id=only.pk if only is not None else "",
            detail={"user_id": user_id, "reason": reason, "count": count},
        )
    return count
