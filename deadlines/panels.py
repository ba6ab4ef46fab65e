"""The administrators' warning that next year's holiday calendar is missing (from 1 November, when the
State Council usually publishes it, until it is loaded) or that this year's is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.access import scoped
from core.home import Panel, PanelItem
from core.roles import Capability

from .models import Deadline, Status

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
