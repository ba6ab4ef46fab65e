"""The clerk's visits on the home page, and the visits card on the case page."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import workdays
from core.home import Panel, PanelAction, PanelItem
from core.models import User
from disputes.models import Dispute

from .models import Visit
from .selectors import my_visits


def my_visits_panel(user: User) -> Panel | None:
    """我的回访: the planned visits assigned to the user, with their due date."""
    rows = list(my_visits(user=user)[:8])
    if not rows:
        return None
    today = workdays.today()
    return Panel(
        title=_("My follow-up visits"),
        items=[
            PanelItem(
                _("%(case)s, due %(day)s")
                % {"case": v.dispute.number, "day": date_format(v.due_on, "DATE_FORMAT")},
                None,
                v.get_absolute_url(),
                "danger" if v.due_on < today else "warn" if (v.due_on - today).days <= 3 else "normal",
                action=PanelAction(_("Record"), v.get_absolute_url()),
            )
            for v in rows
        ],
        order=5,
    )


def case_panel(dispute: Dispute, user: User) -> dict[str, Any] | None:
    visits = list(
        Visit.objects.filter(dispute=dispute).select_related("assigned_to").order_by("due_on", "pk")
    )
    return {"visits": visits} if visits else None
