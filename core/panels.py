"""Home-page panels that core itself can fill: administration and the committee's overview."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .home import Panel, PanelItem
from .models import Organisation, User
from .roles import Capability, Role


def administration_panel(user: User) -> Panel | None:
    if not user.can(Capability.ADMINISTER):
        return None
    items = []
    without_roles = selectors.users_without_roles(user=user).count()
    items.append(
        PanelItem(
            _("Users without a role (they see nothing until given one)"),
            without_roles,
            reverse("admin:core_user_changelist") + "?roles__isnull=True" if user.is_staff else "",
            "warn" if without_roles else "normal",
        )
    )
    beat = selectors.heartbeats().get("worker")
    if beat is None:
        items.append(PanelItem(_("Background tasks have not run yet"), None, "", "warn"))
    else:
        stale = timezone.now() - beat.seen_at > timedelta(minutes=5)
        label = _("Background tasks last ran at %(time)s") % {
            "time": timezone.localtime(beat.seen_at).strftime("%Y-%m-%d %H:%M")
        }
        items.append(PanelItem(label, None, "", "danger" if stale else "normal"))
    return Panel(title=_("Administration"), items=items, order=900)


def committee_overview_panel(user: User) -> Panel | None:
    if not user.has_role(Role.COMMITTEE_MEMBER) or user.organisation is None:
        return None
    region = user.organisation.region
    counts = selectors.region_counts(region=region)
    items = [
        PanelItem(str(label), counts.get(kind, 0))
        for kind, label in Organisation.Kind.choices
        if counts.get(kind)
    ]
    return Panel(
        title=_("Organisations in %(region)s") % {"region": region.name},
        items=items,
        empty_text=_("No organisations are registered in this region yet."),
        order=200,
    )
