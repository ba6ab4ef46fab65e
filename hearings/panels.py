"""The hearings card on the case page (``disputes.seam.CasePanel``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.home import Panel, PanelAction, PanelItem
from core.models import User
from core.roles import Capability
from disputes.models import Dispute

from .selectors import awaiting_answer, hearing_list


def case_panel(dispute: Dispute, user: User) -> dict[str, Any] | None:
    """The case's hearings of every kind (reconsideration hearings, court sessions, meetings)."""
    hearings = list(hearing_list(user=user, dispute=dispute))
    return {"hearings": hearings} if hearings else None


REQUESTS_SHOWN = 5


def head_requests_panel(user: User) -> Panel | None:
    """听证出席请求: for an agency's heads and liaison, the scheduled hearings the agency has not answered
    yet, soonest first, each linked to where it is answered."""
    if not (user.can(Capability.ATTEND_HEARING) or user.can(Capability.AGENCY_FEEDBACK)):
        return None
    rows = list(awaiting_answer(user=user)[:REQUESTS_SHOWN])
    if not rows:
        return None
    items = [
        PanelItem(
            _("%(case)s, %(kind)s on %(when)s")
            % {
                "case": h.dispute.number,
                "kind": h.get_kind_display(),
                "when": date_format(timezone.localtime(h.scheduled_at), "DATETIME_FORMAT"),
            },
            None,
            h.get_absolute_url(),
            "warn",
            action=PanelAction(_("Answer"), h.get_absolute_url()),
        )
        for h in rows
    ]
    return Panel(title=_("Hearings awaiting the head's answer"), items=items, order=4)
