"""Idempotent demo seeding: run it twice and nothing is duplicated (every row has a natural key)."""

from __future__ import annotations

from django.db import transaction

from core.models import Organisation, Region, User, UserRole

from . import data


@transaction.atomic
def demo_seed() -> dict[str, int]:
    regions: dict[str | None, Region] = {}  # None: no parent region
    for code, name, level, parent_code in data.REGIONS:
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions.get(parent_code)}
        )
        regions[code] = region

    organisations: dict[str | None, Organisation] = {}  # None: no parent organisation
    for region_code, name, short_name, kind, parent_name in data.ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            region=regions[region_code],
            name=name,
            defaults={"short_name": short_name, "kind": kind, "parent": organisations.get(parent_name)},
        )
        organisations[name] = org

    from hearings.models import Room

    for org_name, room, address in data.ROOMS:
        Room.objects.update_or_create(
            organisation=organisations[org_name], name=room, defaults={"address": address}
        )

    for username, name, org_name, title, roles, is_admin, _label in data.USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "organisation": organisations[org_name],
                "title": title,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)

    from legal_aid.models import Lawyer

    for username, licence, expertise, capacity in data.LAWYERS:
        lawyer, _ = Lawyer.objects.update_or_create(
            user=User.objects.get(username=username),
            defaults={
                "firm": User.objects.get(username=username).organisation,
                "licence_number": licence,
                "expertise": expertise,
                "capacity": capacity,
            },
        )
        lawyer.regions.add(regions["420322"])

    from .cases import demo_cases, demo_documents, demo_legal_aid

    demo_cases()
    demo_documents()
    demo_legal_aid()
    from disputes.models import Dispute

    return {
        "regions": len(regions),
        "organisations": len(organisations),
        "users": len(data.USERS),
        "disputes": Dispute.objects.filter(centre__name="郧西县行政争议化解中心").count(),
    }


def demo_logins() -> list[tuple[str, str, str, str]]:
    return [(u[0], data.DEMO_PASSWORD, u[1], u[6]) for u in data.USERS]
