"""Reads: a person's own inbox. Notifications are personal: nobody else's are ever listed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Notification, Preference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


def inbox(*, user: User | AnonymousUser, unread: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, newest first (only the unread ones with ``unread``)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    return qs.filter(read_at__isnull=True) if unread else qs


def unread_count(*, user: User | AnonymousUser) -> int:
    """The header's number: one count on a partial index of the unread."""
    return inbox(user=user, unread=True).count() if user.is_authenticated else 0


def preference_of(*, user: User) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)
