"""Home-page panels: the deadlines a person answers for, soonest first; and the administrators' warning
that next year's holiday calendar is missing (from 1 November, when the State Council usually
publishes it, until it is loaded) or that this year's is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import workdays
from core.access import scoped
from core.home import Panel, PanelAction, PanelItem
from core.roles import Capability

from .models import Deadline, RemedyStatus, Status
from .selectors import deadlines_answered_by, remedies_reachable
from .subjects import duty, shown

if TYPE_CHECKING:
    from core.models import User

WARN_FROM_MONTH = 11  # 1 November


def missing_calendar_years() -> list[int]:
    """The years an administrator should load now: this year if missing; next year too from 1 November."""
    local = timezone.localdate(timezone=workdays.SHANGHAI)
    years = [local.year]
    if local.month >= WARN_FROM_MONTH:
        years.append(local.year + 1)
    return [y for y in years if workdays.is_provisional_year(y)]


def calendar_warning_panel(user: User) -> Panel | None:
    if not user.can(Capability.ADMINISTER):
        return None
    years = missing_calendar_years()
    if not years:
        return None
    url = reverse("admin:core_calendarday_changelist") if user.is_staff else ""
    items = [
        PanelItem(
            _(
                "The %(year)d holiday calendar is not loaded: deadlines in %(year)d are counted provisionally "
                "with the statutory holidays only. Load it with load_calendar or in the admin."
            )
            % {"year": year},
            None,
            url,
            "danger",
        )
        for year in years
    ]
    provisional = (
        scoped(Deadline.objects.all(), user)
        .filter(status__in=(Status.OPEN, Status.PAUSED), provisional=True)
        .count()
    )
    items.append(PanelItem(_("Running deadlines counted provisionally"), provisional, "", "warn"))
    return Panel(title=_("Holiday calendar"), items=items, order=890)


MY_DEADLINES_SHOWN = 6


def my_deadlines_panel(user: User) -> Panel | None:
    """The six running clocks ``user`` answers for that end first: those naming them, and those of their
    organisation when they hold its duties (an agency's liaison, a centre's clerk). Each links to its
    subject (the case), with a button where the duty is done (one click for a report: 报备, 反馈); an
    overdue one is red, one due within a week amber. ``None`` when there are none."""
    rows = list(deadlines_answered_by(user=user)[:MY_DEADLINES_SHOWN])
    if not rows:
        return None
    today = workdays.today()
    items = []
    for deadline in rows:
        label, url = shown(deadline)
        days = (deadline.due_on - today).days
        when = (
            _("overdue by %(days)s days") % {"days": -days}
            if days < 0
            else _("ends today")
            if days == 0
            else _("%(days)s days left") % {"days": days}
        )
        where = duty(deadline)
        action = None
        if where is not None:
            action = PanelAction(_("Report now") if where[1] else _("Do it"), url=where[0], post=where[1])
        items.append(
            PanelItem(
                f"{label} {deadline.rule.label}（{when}）".strip(),
                None,
                url,
                "danger" if days < 0 else "warn" if days <= 7 else "normal",
                action=action,
            )
        )
    items.append(PanelItem(_("Subscribe in your calendar"), None, reverse("deadlines:calendar"), "normal"))
    return Panel(title=_("My deadlines"), items=items, order=6)


REMEDIES_SHOWN = 5


def remedies_panel(user: User) -> Panel | None:
    """补救: for an agency, its open remedy tasks, each with the button to record the measures; for the
    centre (who manages cases), how many are open in its reach and where every body's overdue items
    are. ``None`` when there is nothing to show."""
    organisation = user.organisation
    if organisation is None:
        return None
    open_ones = remedies_reachable(user=user).filter(status=RemedyStatus.OPEN)
    if organisation.kind == organisation.Kind.AGENCY:
        rows = list(open_ones.filter(organisation=organisation)[:REMEDIES_SHOWN])
        if not rows:
            return None
        items = []
        for remedy in rows:
            label, url = shown(remedy.deadline)
            missed = date_format(remedy.missed_on, "DATE_FORMAT")
            items.append(
                PanelItem(
                    _("%(subject)s %(rule)s, missed on %(day)s")
                    % {"subject": label, "rule": remedy.deadline.rule.label, "day": missed},
                    None,
                    url,
                    "danger",
                    action=PanelAction(_("Record measures"), shown(remedy.deadline, act="remedy")[1]),
                )
            )
        return Panel(title=_("Remedy tasks"), items=items, order=5)
    if not user.can(Capability.MANAGE_CASES):
        return None
    remedies_url = reverse("deadlines:remedies")
    return Panel(
        title=_("Agencies' duties"),
        items=[
            PanelItem(_("Open remedy tasks"), open_ones.count(), f"{remedies_url}?status=open", "danger"),
            PanelItem(_("Overdue deadlines by body"), None, reverse("deadlines:overdue"), "normal"),
            PanelItem(_("Deadline calendar"), None, reverse("deadlines:month"), "normal"),
        ],
        order=7,
    )
