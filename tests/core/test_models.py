import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.models import Region, UserRole
from core.roles import Role
from demo.services import demo_seed
from tests.factories import OrganisationFactory, RegionFactory, UserFactory, county

pytestmark = pytest.mark.django_db


def test_region_path_follows_the_tree_and_moves_with_it():
    province = RegionFactory(code="420000")
    city = RegionFactory(code="420300", level=Region.Level.CITY, parent=province)
    other_city = RegionFactory(code="420500", level=Region.Level.CITY, parent=province)
    county_ = RegionFactory(code="420322", level=Region.Level.COUNTY, parent=city)
    town = RegionFactory(code="420322100", level=Region.Level.TOWNSHIP, parent=county_)
    assert town.path == "/420000/420300/420322/420322100/"
    county_.parent = other_city
    county_.save()
    town.refresh_from_db()
    assert town.path == "/420000/420500/420322/420322100/"


def test_region_levels_must_nest():
    province = RegionFactory(code="420000")
    bad = Region(name="跳级县", code="420399", level=Region.Level.COUNTY, parent=province)
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "parent" in err.value.message_dict


def test_only_provinces_lack_a_parent_even_bypassing_validation():
    with pytest.raises(IntegrityError):
        Region.objects.create(name="孤县", code="429999", level=Region.Level.COUNTY)


def test_a_role_must_fit_the_organisation_kind():
    court = OrganisationFactory(kind="court", region=county())
    user = UserFactory(organisation=court)
    with pytest.raises(ValidationError) as err:
        UserRole(user=user, role=Role.AGENCY_HEAD_PRINCIPAL).full_clean()
    assert "人民法院" in str(err.value) or "court" in str(err.value)
    UserRole(user=user, role=Role.COURT_CLERK).full_clean()


def test_a_role_is_held_once():
    user = UserFactory(roles=[Role.AGENCY_LIAISON])
    with pytest.raises(IntegrityError):
        UserRole.objects.create(user=user, role=Role.AGENCY_LIAISON)


def test_demo_seed_is_idempotent_and_realistic():
    first = demo_seed()
    counts = (Region.objects.count(), UserRole.objects.count())
    second = demo_seed()
    assert first == second
    assert (Region.objects.count(), UserRole.objects.count()) == counts
    from core.models import Organisation, User

    assert Organisation.objects.filter(kind="agency", region__name="郧西县").count() >= 15
    assert {r for r in UserRole.objects.values_list("role", flat=True)} == set(Role.values)
    assert User.objects.get(username="clerk").check_password("huajie2026")


def test_demo_seed_keeps_a_password_the_user_changed():
    demo_seed()
    from core.models import User

    clerk = User.objects.get(username="clerk")
    clerk.set_password("changed-by-clerk-2026")
    clerk.save()
    demo_seed()
    clerk.refresh_from_db()
    assert clerk.check_password("changed-by-clerk-2026")
