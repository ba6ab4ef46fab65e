"""Signed-in sessions: registered so that their user sees and ends them, ended after idleness and after
an absolute limit, and held at a required step (a new password, a second factor) until it is done."""

from __future__ import annotations

import secrets
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.exceptions import Conflict

from . import audit, otp, passwords
from .models import AlreadyEnded, AuditAction, UserSession

SID = "huajie_sid"
SIGNED_IN = "huajie_signed_in"  # epoch seconds
SEEN = "huajie_seen"  # epoch seconds of the last request, to the minute
MUST = "huajie_must"  # "password" or "otp": the step the user has to take before anything else
KEY = "huajie_key"  # the session key the session list last knew (it changes at sign-in and password change)
TOUCH_SECONDS = 60


def session_register(request: HttpRequest, user: Any) -> UserSession:
    """Record the request's session as the user's (at sign-in, and after the session key changes)."""
    now = timezone.now()
    sid = request.session.get(SID) or secrets.token_hex(16)
    request.session[SID] = sid
    request.session.setdefault(SIGNED_IN, now.timestamp())
    request.session[SEEN] = now.timestamp()
    request.session.set_expiry(settings.SESSION_IDLE_SECONDS)
    if request.session.session_key is None:
        request.session.save()
    request.session[KEY] = request.session.session_key
    UserSession.objects.filter(user=user).exclude(pk__in=UserSession.objects.live().values("pk")).delete()
    row, _ = UserSession.objects.update_or_create(
        sid=sid,
        defaults={
            "user": user,
            "session_key": request.session.session_key or "",
            "last_seen_at": now,
            "ip": audit.client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255],
        },
    )
    return row


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_end(row: UserSession, *, reason: str) -> None:
    """End a session elsewhere: its store entry goes, so its next request is signed out."""
    _store()(session_key=row.session_key).delete()
    row.delete()
    audit.record(
        AuditAction.SESSION_ENDED,
        user=None,
        object_type="security.usersession",
        object_id=row.sid[:8],
        detail={"user_id": row.user_id, "reason": reason},
    )


def own_session_end(*, user: Any, sid: str, current_sid: str | None) -> None:
    """End one of ``user``'s other sessions. Raises AlreadyEnded for none of theirs, Conflict for the one
    making the request (that one ends by signing out)."""
    row = UserSession.objects.filter(user=user, sid=sid).first()
    if row is None:
        raise AlreadyEnded(_("That session has already ended."))
    if row.sid == current_sid:
        raise Conflict(_("To end this session, log out."))
    session_end(row, reason="user")


def sessions_end_all(*, user_id: int, keep_sid: str | None = None, reason: str) -> int:
    rows = list(UserSession.objects.filter(user_id=user_id).exclude(sid=keep_sid or ""))
    for row in rows:
        session_end(row, reason=reason)
    return len(rows)


def step_required(user: Any, *, weak_password: bool) -> str:
    """The step the user must take before anything else, if any: "password" (a weak or old one), then
    "otp" (a second factor their role requires); "" for none. The demo logins under `make run` are
    exempt."""
    if settings.DEMO_LOGINS:
        return ""
    if weak_password or passwords.is_expired(user) or passwords.set_by_other(user):
        return "password"
    if otp.required_for(user) and not otp.has_device(user):
        return "otp"
    return ""


def require_steps(request: HttpRequest, user: Any, *, weak_password: bool) -> None:
    """After signing in: hold the session at the step due, if any (``step_required``)."""
    step = step_required(user, weak_password=weak_password)
    if step:
        request.session[MUST] = step
    else:
        request.session.pop(MUST, None)
