"""The legal-aid card on the case page (``disputes.seam.CasePanel``) and the lawyer's home panel."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.home import Panel, PanelItem
from core.models import User
from disputes.models import Dispute, Party

from . import services
from .models import Application, Assignment, Screening
from .selectors import lawyer_cases

OPEN = (
    Application.Status.RECEIVED,
    Application.Status.GRANTED,
    Application.Status.ASSIGNED,
    Application.Status.OBJECTED,
)


def case_panel(dispute: Dispute, user: User) -> dict[str, Any] | None:
    """Each party without a representative: the latest screening with its reasons, the application and
    its lawyer; for the centre's clerks and the legal-aid staff, the buttons to screen and to apply. The
    assigned lawyer sees it too; the agency and the court do not."""
    may_act = services.may_screen(user)
    if not may_act and not Assignment.objects.filter(dispute=dispute, active_user=user).exists():
        return None
    # Four queries, whatever the number of parties: the parties, their screenings, their applications
    # and the lawyers acting.
    parties = list(
        Party.objects.filter(dispute=dispute, role__in=services.AIDED_ROLES)
        .exclude(Exists(Party.objects.filter(represents=OuterRef("pk"))))
        .order_by("pk")
    )
    screenings: dict[int, Screening] = {}
    for screening in Screening.objects.filter(dispute=dispute).order_by("screened_at", "pk"):
        screenings[screening.party_id] = screening  # the latest counts
    applications: dict[int, Application] = {}
    for filed in Application.objects.filter(dispute=dispute).order_by("received_on", "pk"):
        applications[filed.party_id] = filed  # the latest counts
    lawyers = {
        a.application_id: a.lawyer
        for a in Assignment.objects.filter(dispute=dispute, ended_on__isnull=True).select_related(
            "lawyer__user", "lawyer__firm"
        )
    }
    rows = []
    for party in parties:
        application = applications.get(party.pk)
        rows.append(
            {
                "party": party,
                "screening": screenings.get(party.pk),
                "application": application,
                "lawyer": lawyers.get(application.pk) if application else None,
                "may_apply": application is None or application.status not in OPEN,
            }
        )
    return {"rows": rows, "may_act": may_act}


def lawyer_panel(user: User) -> Panel | None:
    """我的法律援助案件: the lawyer's running assignments."""
    if not hasattr(user, "aid_lawyer"):
        return None
    rows = list(lawyer_cases(user=user)[:10])
    return Panel(
        title=_("My legal-aid cases"),
        items=[
            PanelItem(f"{a.dispute.number} · {a.application.party.name}", None, a.dispute.get_absolute_url())
            for a in rows
        ],
        empty_text=_("No case assigned to you."),
        order=3,
    )


def staff_panel(user: User) -> Panel | None:
    """For the legal-aid staff: applications awaiting a decision, a lawyer or a review."""
    if not services.may_decide(user):
        return None
    from .selectors import applications_reachable

    waiting = applications_reachable(user=user).filter(
        status__in=[Application.Status.RECEIVED, Application.Status.GRANTED, Application.Status.OBJECTED]
    )
    rows = list(waiting.order_by("received_on", "pk")[:8])
    return Panel(
        title=_("Legal-aid applications waiting"),
        items=[
            PanelItem(
                f"{a.dispute.number} · {a.party.name} · {a.get_status_display()}",
                None,
                a.get_absolute_url(),
                "warn",
            )
            for a in rows
        ],
        empty_text=_("Nothing waiting."),
        order=3,
    )
