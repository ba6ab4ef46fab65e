"""Who sees what: the one place that scopes records by the user's roles and organisation.

Every selector, view and API endpoint that lists or fetches records goes through ``scoped()`` or
``get_scoped_or_404()``. A record outside the user's reach is *not found* (404), never *forbidden*
(403): a user must not learn that another agency's case exists.

Each scoped model declares how it is reached with a class attribute ``access = ScopeRule(...)``:

* ``region``: path to the ``Region`` the record belongs to (regional roles see the subtree of their
  organisation's region: a county clerk sees the county and its townships);
* ``organisations``: paths to organisations that own or are party to the record (an agency's users
  see exactly the records where their agency is named);
* ``people``: paths to users personally assigned (a mediator or lawyer sees their own cases).

The filter is built for indexes, so that a list of a million records stays fast (docs/performance.md):
the region is ``region_id IN (the subtree's ids)``, literal ids on the record's indexed foreign key,
and a path that crosses a to-many relation (a case's mediators) becomes ``EXISTS``, so no record is
repeated and no ``DISTINCT`` is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from .roles import Capability, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

_M = TypeVar("_M", bound=Model)


class Reach(Enum):
    REGION = "region"  # the organisation's region and everything below it
    ORGANISATION = "organisation"  # records naming the user's organisation
    PERSONAL = "personal"  # records naming the user, plus their organisation's
    NONE = "none"  # no case records at all (reports only)


ROLE_REACH: dict[str, Reach] = {
    Role.CENTRE_CLERK: Reach.REGION,
    Role.COURT_CLERK: Reach.REGION,
    Role.LEGAL_AID_STAFF: Reach.REGION,
    Role.ADMINISTRATOR: Reach.REGION,
    Role.MEDIATOR: Reach.PERSONAL,
    Role.LEGAL_AID_LAWYER: Reach.PERSONAL,
    Role.AGENCY_LIAISON: Reach.ORGANISATION,
    Role.AGENCY_HEAD_PRINCIPAL: Reach.ORGANISATION,
    Role.AGENCY_HEAD_DEPUTY: Reach.ORGANISATION,
    Role.COMMITTEE_MEMBER: Reach.NONE,
    Role.SECURITY_ADMINISTRATOR: Reach.NONE,
    Role.AUDIT_ADMINISTRATOR: Reach.NONE,
}


@dataclass(frozen=True)
class ScopeRule:
    region: str
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = field(default=())
    # A record reached as another one is (a hearing as its case): the path to that record, so that the
    # people an app above registers for it (``register_people``) reach this one too.
    via: str = ""


# People paths registered by apps above a model's app (legal_aid: a case's assigned lawyers), by model
# label: the model's own module cannot name an app built on it.
_registered_people: dict[str, tuple[str, ...]] = {}


def register_people(model: type[Model], path: str) -> None:
    """Let the users at ``path`` (from ``model``) reach its records, and the records reached ``via`` it.
    Called from an app's ``AppConfig.ready()``; registering the same path twice is a no-op."""
    label = model._meta.label_lower
    paths = _registered_people.get(label, ())
    if path not in paths:
        _registered_people[label] = (*paths, path)


def _rule_for(model: type[Model]) -> ScopeRule:
    rule = getattr(model, "access", None)
    if not isinstance(rule, ScopeRule):
        raise TypeError(f"{model.__name__} declares no ScopeRule (class attribute 'access').")
    extra = _registered_people.get(model._meta.label_lower, ())
    if rule.via:
        target = _relations(model, rule.via)[-1].related_model
        extra += tuple(f"{rule.via}__{p}" for p in _registered_people.get(target._meta.label_lower, ()))
    if extra:
        rule = ScopeRule(rule.region, rule.organisations, (*rule.people, *extra), rule.via)
    return rule


def _relations(model: type[Model], path: str) -> list[Any]:
    """The fields ``path`` follows from ``model``, as far as it goes through relations (``pk`` or a
    plain column ends it)."""
    fields = []
    for name in path.split("__"):
        if name == "pk":
            break
        field = model._meta.get_field(name)
        fields.append(field)
        if field.related_model is None:
            break
        model = field.related_model
    return fields


def _crosses_to_many(model: type[Model], path: str) -> bool:
    return any(f.many_to_many or f.one_to_many for f in _relations(model, path))


def _may_name(model: type[Model], path: str, organisation: Any) -> bool:
    """Whether the relation at ``path`` can hold ``organisation`` at all. A foreign key limited to one
    kind of organisation (``limit_choices_to={"kind": "court"}``) never names an agency, so an agency's
    reach leaves it out, and the reach stays one indexed column (``respondent_id = …``) that an index
    in the list's order serves; an ``OR`` with a column that is never true would defeat it."""
    fields = _relations(model, path)
    if "pk" in path.split("__") or not fields or fields[-1].related_model is None:
        return True
    limit = getattr(fields[-1].remote_field, "limit_choices_to", None)
    if not isinstance(limit, dict):
        return True
    return all(
        getattr(organisation, key) == value for key, value in limit.items() if hasattr(organisation, key)
    )


def _names(model: type[Model], path: str, value: int) -> Q:
    """``path`` equals ``value``: a plain lookup on a to-one path, ``EXISTS`` across a to-many one."""
    if _crosses_to_many(model, path):
        return Q(Exists(model._default_manager.filter(pk=OuterRef("pk"), **{path: value})))
    return Q(**{path: value})


def _subtree(user: User) -> list[int]:
    """The ids of the user's region and every region below it, read once per user object (one request):
    given as literal ids, the planner estimates a county's share of a table from its statistics."""
    cached: list[int] | None = getattr(user, "_reach_region_ids", None)
    if cached is None:
        from .models import Region

        assert user.organisation is not None  # checked by the callers
        path = user.organisation.region.path
        cached = list(
            Region.objects.filter(path__startswith=path).order_by("pk").values_list("pk", flat=True)
        )
        user._reach_region_ids = cached  # type: ignore[attr-defined]  # a per-request cache on the user
    return cached


def _reaches(user: User) -> set[Reach]:
    return {ROLE_REACH.get(role, Reach.NONE) for role in user.role_codes}


def reach_regions(user: User | AnonymousUser | None) -> list[int] | None:
    """The regions that bound everything ``user`` reaches, when the reach is by region alone (a clerk):
    a query over records that carry a copy of their subject's region (deadlines) can narrow by it
    first. ``None`` when the reach is by organisation or person too, or nothing."""
    if user is None or not user.is_authenticated or not user.is_active or user.organisation is None:
        return None
    if _reaches(user) - {Reach.NONE} != {Reach.REGION}:
        return None
    return _subtree(user)


def reach_filter(user: User | AnonymousUser | None, model: type[Model]) -> Q:
    """The Q that selects the records of ``model`` (by its ``access`` rule) that ``user`` may see.

    Reach comes from the user's roles and organisation, for every user: the superuser flag opens the
    Django admin site, not other regions' cases (a superuser without a role or organisation sees no
    case records)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    organisation = user.organisation
    if organisation is None:
        return Q(pk__in=[])
    rule = _rule_for(model)
    reaches = _reaches(user)
    q = Q(pk__in=[])
    if Reach.REGION in reaches:
        q |= Q(**{f"{rule.region}__in": _subtree(user)})
    if reaches & {Reach.ORGANISATION, Reach.PERSONAL}:
        for path in rule.organisations:
            if _may_name(model, path, organisation):
                q |= _names(model, path, organisation.pk)
    if Reach.PERSONAL in reaches:
        for path in rule.people:
            q |= _names(model, path, user.pk)
    return q


def scoped(queryset: QuerySet[_M], user: User | AnonymousUser | None) -> QuerySet[_M]:
    """``queryset`` narrowed to the records ``user`` may see."""
    return queryset.filter(reach_filter(user, queryset.model))


def get_scoped_or_404(queryset: QuerySet[_M], user: User | AnonymousUser | None, **lookup: Any) -> _M:
    try:
        return scoped(queryset, user).get(**lookup)
    except ObjectDoesNotExist as exc:  # what every model's DoesNotExist subclasses
        raise Http404 from exc


def can(user: User | AnonymousUser | None, capability: Capability | str) -> bool:
    """Whether ``user`` may do ``capability`` at all (which records: ``scoped``)."""
    return user is not None and user.is_authenticated and user.can(capability)


def region_subtree(user: User) -> list[int]:
    """The ids of the region of ``user``'s organisation and every region below it: what reports cover for
    a regional user, committee members included (who reach no case record)."""
    return _subtree(user)


def reaches(user: User) -> set[Reach]:
    """The kinds of reach ``user``'s roles give."""
    return _reaches(user)
