"""Reads of bulletins, scoped by the reader: a reader of reports sees the bulletins of their region, of
the regions below it and of those above it (a county reads its city's)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from core.models import User

from .models import Bulletin


def paths_above(path: str) -> list[str]:
    """The paths of a region's ancestors and its own (paths read ``/420000/420300/420322/``)."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]


def bulletins_for(user: User) -> QuerySet[Bulletin]:
    if not user.is_authenticated or user.organisation is None or not user.can("view_reports"):
        return Bulletin.objects.none()
    path = user.organisation.region.path
    return (
        Bulletin.objects.filter(Q(region__path__startswith=path) | Q(region__path__in=paths_above(path)))
        .select_related("organisation", "region", "document", "requested_by")
        .order_by("-first", "kind", "-built_at")
    )


def bulletin_get(user: User, pk: int) -> Bulletin:
    bulletin = bulletins_for(user).filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    return bulletin
