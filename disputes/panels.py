"""Home-page panels of the disputes app: what is waiting, as counts that open the filtered case list.

All counts of a request come from two queries (``selectors.home_counts``: the statuses, and the overdue
cases), shared by the panels.
Each role sees only what it acts on: a centre clerk the intake and every stage, a court clerk the
agreements awaiting its confirmation, the resolution and litigation work, an agency its own cases, a mediator the cases assigned to them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Panel, PanelItem, register_panel
from core.roles import Capability, Role

from . import selectors
from .choices import Stage, Status

CASE_WORK_ORDER = 10
MY_CASES_ORDER = 20


def _link(**params) -> str:
    return reverse("disputes:list") + "?" + urlencode(params)


def _counts(user) -> dict[str, int]:
    counts = getattr(user, "_dispute_home_counts", None)
    if counts is None:
        counts = selectors.home_counts(user=user)
        user._dispute_home_counts = counts  # the user object lives for one request
    return counts


def _group(statuses) -> str:
    return ",".join(str(s) for s in statuses)


def _overdue(count: int, url: str) -> PanelItem:
    return PanelItem(_("Overdue"), count, url, "danger" if count else "normal")


@register_panel
def case_work_panel(user) -> Panel | None:
    if not user.can(Capability.VIEW_CASES):
        return None
    is_agency = user.has_role(Role.AGENCY_LIAISON, Role.AGENCY_HEAD_PRINCIPAL, Role.AGENCY_HEAD_DEPUTY)
    manages = user.can(Capability.MANAGE_CASES)
    court = user.can(Capability.RECORD_LITIGATION) or user.can(Capability.PUSH_COURT_CASE)
    if not (manages or court or is_agency) and user.has_role(Role.MEDIATOR):
        return None  # a mediator's cases are the assigned ones: see my_cases_panel
    counts = _counts(user)
    registered = PanelItem(_("Cases to accept"), counts["registered"], _link(status=Status.REGISTERED))
    correction = PanelItem(
        _("Cases awaiting correction"), counts["correction"], _link(status=Status.CORRECTION)
    )
    resolving = PanelItem(
        _("Under resolution"), counts["resolving"], _link(status=_group(selectors.RESOLVING))
    )
    # The court's part in resolution: agreements it is asked to confirm (司法确认).
    awaiting_confirmation = PanelItem(
        _("Awaiting judicial confirmation"),
        counts["awaiting_confirmation"],
        _link(status=Status.CONFIRMATION_REQUESTED),
    )
    reconsidering = PanelItem(
        _("Reconsideration under way"), counts["reconsidering"], _link(status=_group(selectors.RECONSIDERING))
    )
    litigating = PanelItem(_("In litigation"), counts["litigating"], _link(stage=Stage.LITIGATION))
    performing = PanelItem(_("Awaiting performance"), counts["performing"], _link(status=Status.PERFORMANCE))
    open_cases = PanelItem(_("Open cases"), counts["open"], _link(stage=selectors.OPEN))
    overdue = _overdue(counts["overdue"], _link(overdue="yes"))

    if manages:
        title, items = _("Case work"), [registered, correction, resolving, reconsidering, litigating, overdue]
    elif court:
        title, items = _("Case work"), [awaiting_confirmation, resolving, litigating, overdue]
    elif is_agency:
        title, items = _("Cases of this agency"), [open_cases, reconsidering, litigating, performing, overdue]
    else:
        title, items = _("Cases"), [open_cases, overdue]
    return Panel(title=title, items=items, order=CASE_WORK_ORDER)


@register_panel
def my_cases_panel(user) -> Panel | None:
    if not (user.can(Capability.VIEW_CASES) and user.can(Capability.MEDIATE)):
        return None
    counts = _counts(user)
    if not user.has_role(Role.MEDIATOR) and not counts["mine_open"]:
        return None  # a clerk who mediates nothing sees no empty panel
    return Panel(
        title=_("My cases"),
        items=[
            PanelItem(_("Open cases"), counts["mine_open"], _link(mediator=user.pk, stage=selectors.OPEN)),
            PanelItem(
                _("Under resolution"),
                counts["mine_resolving"],
                _link(mediator=user.pk, status=_group(selectors.RESOLVING)),
            ),
            _overdue(counts["mine_overdue"], _link(mediator=user.pk, overdue="yes")),
        ],
        order=MY_CASES_ORDER,
    )
