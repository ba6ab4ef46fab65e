"""The password policy: length, kinds of character, no reuse of the last few, and an age limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PasswordHistory


class LengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        minimum = settings.PASSWORD_MIN_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "The password must be at least %(min)d character long.",
                    "The password must be at least %(min)d characters long.",
                    minimum,
                )
                % {"min": minimum},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        minimum = settings.PASSWORD_MIN_LENGTH
        return ngettext("At least %(min)d character.", "At least %(min)d characters.", minimum) % {
            "min": minimum
        }


def _classes(password: str) -> int:
    kinds = [
        any(c.isascii() and c.islower() for c in password),
        any(c.isascii() and c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(kinds)


class CharacterClassesValidator:
    """At least three of: lower-case letters, capitals, digits, symbols."""

    required = 3

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < self.required:
            raise ValidationError(
                _("Use at least three of: lower-case letters, capitals, digits and symbols."),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("At least three of: lower-case letters, capitals, digits and symbols.")


class HistoryValidator:
    """Not the current password nor one of the ``PASSWORD_HISTORY`` before it."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        earlier = [user.password] if user.password else []
        earlier += recent_hashes(user.pk)
        if any(check_password(password, h) for h in earlier if h):
            raise ValidationError(
                ngettext(
                    "Choose a password you have not used before (not the last %(count)d).",
                    "Choose a password you have not used before (not the last %(count)d).",
                    settings.PASSWORD_HISTORY,
                )
                % {"count": settings.PASSWORD_HISTORY},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Not one of your last %(count)d passwords.") % {"count": settings.PASSWORD_HISTORY}


def recent_hashes(user_id: int) -> list[str]:
    return list(
        PasswordHistory.objects.filter(user_id=user_id)
        .order_by("-changed_at", "-pk")
        .values_list("password", flat=True)[: settings.PASSWORD_HISTORY]
    )


def record_change(user: Any, *, by_other: bool = False) -> None:
    """Keep the new password's hash (and its time: the start of its age, and whether someone else set
    it); drop what is past the history."""
    PasswordHistory.objects.create(user_id=user.pk, password=user.password, set_by_other=by_other)
    keep = list(
        PasswordHistory.objects.filter(user_id=user.pk)
        .order_by("-changed_at", "-pk")
        .values_list("pk", flat=True)[: settings.PASSWORD_HISTORY]
    )
    PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()


def changed_at(user: Any) -> datetime:
    latest = (
        PasswordHistory.objects.filter(user_id=user.pk)
        .order_by("-changed_at")
        .values_list("changed_at", flat=True)
        .first()
    )
    return latest or user.date_joined


def set_by_other(user: Any) -> bool:
    """Whether the current password was given by an administrator (ASVS 2.5.2: to be changed at once)."""
    latest = PasswordHistory.objects.filter(user_id=user.pk).order_by("-changed_at", "-pk").first()
    return bool(latest and latest.set_by_other and latest.password == user.password)


def is_expired(user: Any, *, now: datetime | None = None) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return False
    return (now or timezone.now()) - changed_at(user) > timedelta(days=days)


def meets_policy(password: str, user: Any) -> bool:
    """Whether a password (checked at sign-in, when it is known) passes today's rules but the history."""
    from django.contrib.auth.password_validation import get_default_password_validators

    for validator in get_default_password_validators():
        if isinstance(validator, HistoryValidator):
            continue
        try:
            validator.validate(password, user)
        except ValidationError:
            return False
    return True
