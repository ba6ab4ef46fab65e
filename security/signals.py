"""Sign-ins, sign-outs, failures, lockouts and password changes: audited, and sessions and tokens kept
in step."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from . import audit, passwords, sessions
from .lockout import username_of
from .models import AuditAction, AuditResult
from .tokens import tokens_revoke


@receiver(user_logged_in, dispatch_uid="security-signed-in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    sessions.session_register(request, user)
    audit.record(AuditAction.SIGN_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="security-signed-out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    # Signing out ends the user's API tokens too: a token never outlives the sign-out it was meant for.
    tokens_revoke(user_id=user.pk, reason="logout")
    if request is not None:
        sid = request.session.get(sessions.SID)
        if sid:
            from .models import UserSession

            UserSession.objects.filter(sid=sid).delete()
        audit.record(AuditAction.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security-sign-in-failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        AuditAction.SIGN_IN_FAILED,
        request=request,
        username=username_of(request, credentials),
        result=AuditResult.REFUSED if locked else AuditResult.FAILURE,
        detail={"locked": True} if locked else {},
    )


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    audit.record(AuditAction.LOCKED_OUT, request=request, username=username or "", result=AuditResult.REFUSED)


@receiver(post_save, sender=get_user_model(), dispatch_uid="security-password-changed")
def _password_changed(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if getattr(instance, "_password", None) is None:
        return  # the password was not set in this save
    request = audit.current_request()
    actor = getattr(request, "user", None) if request is not None else None
    # Set in a request by someone else signed in (an administrator's reset or a new account): temporary.
    by_other = bool(actor is not None and actor.is_authenticated and actor.pk != instance.pk)
    passwords.record_change(instance, by_other=by_other)
    if created:
        return
    # A new password ends every API token and every other session of the user (the current one, if the
    # user changed it themselves, is registered again by the password change view).
    tokens_revoke(user_id=instance.pk, reason="password")
    keep = request.session.get(sessions.SID) if request is not None and hasattr(request, "session") else None
    mine = (
        request is not None and getattr(request, "user", None) is not None and request.user.pk == instance.pk
    )
    sessions.sessions_end_all(user_id=instance.pk, keep_sid=keep if mine else None, reason="password")
    audit.record(AuditAction.PASSWORD_CHANGED, request=request, obj=instance)


# Every change a request makes to the project's records, beside the transitions and issues recorded by
# name: the record and the fields (never their values: the log holds no personal data).
AUDITED_APPS = frozenset(
    {
        "core",
        "notifications",
        "documents",
        "deadlines",
        "disputes",
        "followups",
        "hearings",
        "legal_aid",
        "reports",
    }
)
_NOT_A_CHANGE = {("core.user", frozenset({"last_login"}))}


def _audited(sender: Any, raw: bool = False) -> bool:
    meta = sender._meta
    return not raw and meta.app_label in AUDITED_APPS and not meta.model_name.startswith("historical")


@receiver(post_save, dispatch_uid="security-record-saved")
def _record_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if not _audited(sender, raw) or audit.current_request() is None:
        return
    fields = frozenset(update_fields or ())
    if (sender._meta.label_lower, fields) in _NOT_A_CHANGE:
        return
    audit.record(
        AuditAction.CREATED if created else AuditAction.CHANGED,
        obj=instance,
        detail={"fields": sorted(fields)} if fields else {},
    )


@receiver(post_delete, dispatch_uid="security-record-deleted")
def _record_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _audited(sender) and audit.current_request() is not None:
        audit.record(AuditAction.DELETED, obj=instance)
