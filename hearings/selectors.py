"""Reads of the hearings app, scoped by the case's reach (``core.access`` through ``disputes``)."""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import scoped
from core.models import User
from disputes.models import Dispute

from .models import Hearing


def hearing_list(*, user: User, dispute: Dispute) -> QuerySet[Hearing]:
    """The hearings of ``dispute``, earliest first; none when the case is out of ``user``'s reach."""
    reachable = scoped(Dispute.objects.filter(pk=dispute.pk), user)
    return (
        Hearing.objects.filter(dispute__in=reachable)
        .select_related("created_by")
        .order_by("scheduled_at", "pk")
    )
