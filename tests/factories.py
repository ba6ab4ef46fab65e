"""factory_boy factories shared by every app's tests. No fixture files: data is built in the test."""

import factory
from factory.django import DjangoModelFactory

from core.models import Organisation, Region, User, UserRole
from core.roles import ROLE_ORGANISATION_KINDS


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试省{n}")
    code = factory.Sequence(lambda n: f"{110000 + n * 10000:06d}"[:6])
    level = Region.Level.PROVINCE
    parent = None


def county(name: str = "测试县", code: str | None = None) -> Region:
    """A province → city → county chain, the shape most tests need."""
    province = RegionFactory()
    city = RegionFactory(
        name=f"{name}所属市", code=province.code[:2] + "0100", level=Region.Level.CITY, parent=province
    )
    return RegionFactory(
        name=name, code=code or province.code[:2] + "0102", level=Region.Level.COUNTY, parent=city
    )


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机关{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    kind = Organisation.Kind.AGENCY
    region = factory.LazyFunction(county)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.save()
        for role in extracted or ():
            UserRole.objects.create(user=self, role=role)


def user_with_role(
    role: str, *, region: Region | None = None, organisation: Organisation | None = None, **kwargs
) -> User:
    """A user holding ``role`` in an organisation of a kind that role may be held in."""
    if organisation is None:
        kind = sorted(ROLE_ORGANISATION_KINDS[role])[0]
        organisation = OrganisationFactory(kind=kind, region=region or county())
    return UserFactory(organisation=organisation, roles=[role], **kwargs)
