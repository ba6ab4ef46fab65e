"""Sign-in state that outlives a request: password history, signed-in sessions, API tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class PasswordHistory(models.Model):
    """One password a user has had, as its hash: a new one may not repeat the last few (and the latest
    row's time is when the password was last changed, for its expiry)."""

    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("Whose password it was."),
    )
    password = models.CharField(_("password hash"), max_length=128, help_text=_("The hash, never the text."))
    changed_at = models.DateTimeField(
        _("changed at"), default=timezone.now, help_text=_("When the password was set.")
    )
    set_by_other = models.BooleanField(
        _("set by an administrator"),
        default=False,
        help_text=_(
            "Set by someone else signed in (an administrator): its holder must change it at sign-in."
        ),
    )

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        indexes = [models.Index(fields=["user", "-changed_at"], name="password_history_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.changed_at:%Y-%m-%d}"


class UserSessionQuerySet(models.QuerySet["UserSession"]):
    def live(self) -> UserSessionQuerySet:
        """Sessions not yet past their idle limit (one that timed out without a further request is gone
        from the session store; its row is dropped at the user's next sign-in)."""
        # The store's expiry is set with each recorded request, so this is the store's own limit.
        return self.filter(last_seen_at__gt=timezone.now() - timedelta(seconds=settings.SESSION_IDLE_SECONDS))


class UserSession(models.Model):
    """A signed-in browser session, so that its user can see where they are signed in and end it."""

    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("Who is signed in."),
    )
    sid = models.CharField(
        _("session id"),
        max_length=32,
        unique=True,
        help_text=_("A random id kept in the session: it survives the session key's renewal."),
    )
    session_key = models.CharField(
        _("session key"), max_length=40, help_text=_("The session store's key, to end the session.")
    )
    signed_in_at = models.DateTimeField(_("signed in at"), default=timezone.now, help_text=_("When."))
    last_seen_at = models.DateTimeField(
        _("last active"), default=timezone.now, help_text=_("The last request, to the minute.")
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, help_text=_("From where."))
    user_agent = models.CharField(
        _("browser"), max_length=255, blank=True, help_text=_("The browser's own description.")
    )

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.signed_in_at:%Y-%m-%d %H:%M}"


class AlreadyEnded(Exception):
    """The session or token asked for is not (or no longer) a live one of the user's."""


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A credential for the API. Only its SHA-256 is kept: the key is shown once, when issued. It ends at
    ``expires_at``, at the user's sign-out, at a password change, or when its user revokes it."""

    user = models.ForeignKey(
        USER,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("Whose requests the token signs."),
    )
    digest = models.CharField(
        _("digest"), max_length=64, unique=True, help_text=_("SHA-256 of the key, in hexadecimal.")
    )
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("The key's first characters, to tell tokens apart.")
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, help_text=_("When issued."))
    expires_at = models.DateTimeField(_("expires at"), help_text=_("After this the token signs nothing."))
    last_used_at = models.DateTimeField(
        _("last used"), null=True, blank=True, help_text=_("The last request it signed, to the minute.")
    )
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, help_text=_("When it was ended before its expiry.")
    )
    revoked_reason = models.CharField(
        _("why revoked"), max_length=32, blank=True, help_text=_("logout, password, user or admin.")
    )
    ip = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, help_text=_("Where it was issued to.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Account locked")
    SIGN_OUT = "sign_out", _("Signed out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    SESSION_ENDED = "session_ended", _("Session ended")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    OTP_CHANGED = "otp_changed", _("Second factor changed")
    REFUSED = "refused", _("Refused")
    UNMASKED = "unmasked", _("Personal data shown")
    EXPORTED = "exported", _("Downloaded or exported")
    DOCUMENT_ISSUED = "document_issued", _("Document issued")
    TRANSITION = "transition", _("Case moved")
    CREATED = "created", _("Record created")
    CHANGED = "changed", _("Record changed")
    DELETED = "deleted", _("Record deleted")
    UNLOCKED = "unlocked", _("Account unlocked")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    REFUSED = "refused", _("Refused")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One thing that happened, for the audit administrator: who, when, from where, to what, with what
    result. Written once, never changed: the model refuses updates and deletes, and on PostgreSQL a
    trigger refuses them to every database role (migration 0002). Holds no personal data itself: an
    object is named by its type, id and a short label, never by an ID or phone number."""

    at = models.DateTimeField(
        _("time"), default=timezone.now, db_index=True, help_text=_("When it happened.")
    )
    user = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
        help_text=_("Who did it; empty for an anonymous request or the system."),
    )
    username = models.CharField(
        _("user name"),
        max_length=150,
        blank=True,
        help_text=_("The account name as given (for a failed sign-in, the name that was tried)."),
    )
    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices, help_text=_("What."))
    result = models.CharField(
        _("result"),
        max_length=8,
        choices=AuditResult.choices,
        default=AuditResult.SUCCESS,
        help_text=_("Whether it succeeded, failed or was refused."),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, help_text=_("From where."))
    method = models.CharField(_("method"), max_length=8, blank=True, help_text=_("The HTTP method, if any."))
    path = models.CharField(_("address"), max_length=255, blank=True, help_text=_("The address requested."))
    object_type = models.CharField(
        _("object type"), max_length=64, blank=True, help_text=_("The record's kind, e.g. disputes.party.")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, help_text=_("The record's id."))
    object_label = models.CharField(
        _("object"), max_length=200, blank=True, help_text=_("A short label, e.g. a case number.")
    )
    detail = models.JSONField(
        _("detail"), default=dict, blank=True, help_text=_("What changed (field names), the reason, etc.")
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")

    @property
    def object_kind(self) -> str:
        """The record's kind as a clerk says it (当事人, 案件), from its ``app.model`` label."""
        if not self.object_type:
            return ""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type
