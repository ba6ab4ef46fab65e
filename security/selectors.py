"""Reading the audit log: the filters the audit administrator searches it by."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, AuditEntry, UserSession


def audit_search(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """The entries matching ``filters`` (each optional): ``since``/``until`` (dates, inclusive),
    ``user`` (an account name, exact), ``action``, ``result``, ``ip``, ``object_type``, ``object_id``;
    newest first."""
    qs = AuditEntry.objects.all()
    if filters.get("since"):
        qs = qs.filter(at__gte=_start(filters["since"]))
    if filters.get("until"):
        qs = qs.filter(at__lt=_start(filters["until"] + timedelta(days=1)))
    if filters.get("user"):
        qs = qs.filter(username=filters["user"])
    for name in ("action", "result", "ip", "object_type", "object_id"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    return qs.order_by("-at", "-pk")


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sign_ins_of(user: Any) -> tuple[QuerySet[UserSession], QuerySet[ApiToken]]:
    """Where ``user`` is signed in (live sessions, latest first) and their live API tokens (newest first),
    as 登录与安全 and the API list them."""
    rows = UserSession.objects.live().filter(user=user).order_by("-last_seen_at")
    tokens = ApiToken.objects.active().filter(user=user).order_by("-created_at")
    return rows, tokens
