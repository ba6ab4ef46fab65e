"""The navigation menu. Apps register entries in AppConfig.ready(); an entry shows only to users
holding its capability, so the menu never offers a page that would answer 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import User


@dataclass(frozen=True)
class NavEntry:
    label: StrOrPromise
    url_name: str
    capability: str | None = None  # None: every signed-in user
    order: int = 100
    staff_only: bool = False
    section: str = ""  # the first path segment that marks the entry as current

    def url(self) -> str:
        return reverse(self.url_name)


_entries: list[NavEntry] = []


def register_nav(entry: NavEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)


def entries_for(user: User) -> list[NavEntry]:
    visible = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if entry.staff_only and not user.is_staff:
            continue
        if entry.capability and not user.can(entry.capability):
            continue
        visible.append(entry)
    return visible
