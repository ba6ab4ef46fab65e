"""The home page's panel of unread notifications: the newest few, each a link to where it is acted on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Panel, PanelItem

from .selectors import inbox

if TYPE_CHECKING:
    from core.models import User

SHOWN = 5


def unread_panel(user: User) -> Panel | None:
    """``None`` when nothing is unread: the home page shows only what waits."""
    unread = list(inbox(user=user, unread=True)[: SHOWN + 1])
    if not unread:
        return None
    items = [
        PanelItem(
            label=n.title,
            url=reverse("notifications:open", args=[n.pk]),
            tone="warn" if n.kind in ("deadline_reminder", "deadline_moved") else "normal",
        )
        for n in unread[:SHOWN]
    ]
    if len(unread) > SHOWN:
        items.append(
            PanelItem(
                label=_("All unread notifications"), url=reverse("notifications:inbox") + "?show=unread"
            )
        )
    return Panel(title=_("Notifications"), items=items, order=5)
