"""Reads for regions, organisations and users, always scoped by the reader."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .access import get_scoped_or_404, scoped
from .models import Heartbeat, Organisation, Region, User, UserRole


def organisation_list(
    *, user: User, kind: str = "", region_id: int | None = None, search: str = ""
) -> QuerySet[Organisation]:
    qs = scoped(Organisation.objects.select_related("region", "parent"), user).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if region_id:
        region = Region.objects.filter(pk=region_id).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    return qs.order_by("region__path", "kind", "name")


def organisation_get(*, user: User, pk: int) -> Organisation:
    return get_scoped_or_404(Organisation.objects.select_related("region", "parent"), user, pk=pk)


def organisation_members(*, user: User, organisation: Organisation) -> QuerySet[User]:
    return (
        scoped(User.objects.filter(organisation=organisation, is_active=True), user)
        .prefetch_related("roles")
        .order_by("username")
    )


def user_list(*, user: User) -> QuerySet[User]:
    return (
        scoped(User.objects.filter(is_active=True), user)
        .prefetch_related("roles")
        .order_by("organisation__name", "username")
    )


def region_counts(*, region: Region) -> dict[str, int]:
    """Organisations by kind in a region and below (the committee's overview)."""
    rows = (
        Organisation.objects.filter(region__path__startswith=region.path, is_active=True)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {row["kind"]: row["n"] for row in rows}


def users_without_roles(*, user: User) -> QuerySet[User]:
    return scoped(User.objects.filter(is_active=True, roles__isnull=True, is_superuser=False), user)


def heartbeats() -> dict[str, Heartbeat]:
    return {hb.name: hb for hb in Heartbeat.objects.all()}


def role_holders(*, organisation: Organisation, role: str) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation, is_active=True, roles__role=role)


__all__ = [
    "organisation_list",
    "organisation_get",
    "organisation_members",
    "user_list",
    "region_counts",
    "users_without_roles",
    "heartbeats",
    "role_holders",
    "UserRole",
]
