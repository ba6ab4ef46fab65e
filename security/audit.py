"""Writing the audit log: ``record(action, request=…, obj=…)`` from anywhere, in one line.

The request's user and address are read from the request given, or from the one being served (set by
``security.middleware.AuditMiddleware``), so that a service deep below a view is attributed too.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEntry, AuditResult

_current: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("audit_request", default=None)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


def current_request() -> HttpRequest | None:
    return _current.get()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with ``TRUSTED_PROXIES`` hops in front, the address the last
    trusted proxy saw (X-Forwarded-For read from the right, never the client's own claim)."""
    hops = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if hops:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [a.strip() for a in header.split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR") or "") or None


def record(
    action: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    label: str = "",
    result: str = AuditResult.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    request = request if request is not None else current_request()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        label = label or _label(obj)
    return AuditEntry.objects.create(
        user=user if user is not None and getattr(user, "pk", None) else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        action=action,
        result=result,
        ip=client_ip(request) if request is not None else None,
        method=(request.method or "")[:8] if request is not None else "",
        path=request.get_full_path()[:255] if request is not None else "",
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        object_label=label[:200],
        detail=detail or {},
    )


def _label(obj: models.Model) -> str:
    """A record's label without personal data: its number where it has one, else its kind and id."""
    for attr in ("number", "code", "username"):
        value = getattr(obj, attr, "")
        if value:
            return str(value)
    return f"{obj._meta.verbose_name} #{obj.pk}"


__all__ = ["AuditAction", "AuditResult", "client_ip", "current_request", "record", "serving"]
