"""Two middlewares: the session's time limits and required steps; the audit of refusals and downloads."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.exceptions import is_api

from . import audit, sessions
from .models import AuditAction, AuditResult, UserSession


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_SECONDS`` without a request or ``SESSION_ABSOLUTE_SECONDS``
    after its sign-in; keeps the user's session list current (at most one write a minute); and holds a
    user at the step they must take (a new password, a second factor) until it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            refused = self._check(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: object) -> HttpResponse | None:
        session = request.session
        if sessions.SID not in session:
            sessions.session_register(request, user)
            return None
        now = timezone.now().timestamp()
        quiet = now - session.get(sessions.SEEN, now)
        idle = quiet > settings.SESSION_IDLE_SECONDS
        too_long = now - session.get(sessions.SIGNED_IN, now) > settings.SESSION_ABSOLUTE_SECONDS
        if idle or too_long:
            return self._expire(request, user, "idle" if idle else "absolute")
        if quiet > sessions.TOUCH_SECONDS or (
            session.session_key and session.get(sessions.KEY) != session.session_key
        ):
            session[sessions.SEEN] = now
            session.set_expiry(settings.SESSION_IDLE_SECONDS)
            session[sessions.KEY] = session.session_key
            updated = UserSession.objects.filter(sid=session[sessions.SID]).update(
                last_seen_at=timezone.now(), session_key=session.session_key or ""
            )
            if not updated:  # ended from another session: this one is over
                return self._expire(request, user, "ended")
        must = session.get(sessions.MUST)
        if must and not _allowed_while_held(request.path):
            if is_api(request):
                return JsonResponse(
                    {
                        "detail": _(
                            "Finish signing in on the website first (a new password or a second factor)."
                        )
                    },
                    status=403,
                )
            return redirect("password_change" if must == "password" else "otp-setup")
        return None

    def _expire(self, request: HttpRequest, user: object, reason: str) -> HttpResponse:
        sid = request.session.get(sessions.SID)
        UserSession.objects.filter(sid=sid).delete()
        audit.record(AuditAction.SESSION_EXPIRED, request=request, user=user, detail={"reason": reason})
        request.session.flush()
        request.user = AnonymousUser()
        if is_api(request):
            return JsonResponse({"detail": _("Your session has ended: sign in again.")}, status=403)
        if reason == "ended":
            messages.info(request, _("This session was ended from another one: sign in again."))
        else:
            messages.info(request, _("You were signed out after a time without activity: sign in again."))
        return redirect_to_login(request.get_full_path())


def _allowed_while_held(path: str) -> bool:
    open_paths = [
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("otp-setup"),
        reverse("logout"),
        reverse("set_language"),
        settings.STATIC_URL,
    ]
    return any(path.startswith(p) for p in open_paths)


class AuditMiddleware:
    """Makes the request known to ``security.audit.record`` anywhere below the view, and records what a
    view cannot: a refusal (403, 404) answered to a signed-in user, and every download (a response sent
    as an attachment: exports, issued PDFs, uploaded files)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.serving(request):
            response = self.get_response(request)
            if request.path.startswith(settings.STATIC_URL):
                return response
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            if response.status_code in (403, 404) and signed_in:
                audit.record(
                    AuditAction.REFUSED,
                    request=request,
                    result=AuditResult.REFUSED,
                    detail={"status": response.status_code},
                )
            elif (
                response.status_code == 200
                and signed_in
                and response.get("Content-Disposition", "").startswith("attachment")
            ):
                audit.record(
                    AuditAction.EXPORTED,
                    request=request,
                    detail={"file": _filename(response.get("Content-Disposition", ""))},
                )
        return response


def _filename(disposition: str) -> str:
    for part in disposition.split(";"):
        part = part.strip()
        if part.startswith("filename*="):
            return part.split("''", 1)[-1][:120]
        if part.startswith("filename="):
            return part[len("filename=") :].strip('"')[:120]
    return ""
