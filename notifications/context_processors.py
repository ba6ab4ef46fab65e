from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count, read only when a page shows it, and once however often it is shown (the
    header, the inbox): one indexed count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": cache(lambda: unread_count(user=user))}
