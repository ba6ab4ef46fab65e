import pytest

from core.models import Organisation
from core.roles import Role
from deadlines.subjects import register_subject, unregister_subject
from tests.factories import OrganisationFactory, county, user_with_role


@pytest.fixture(autouse=True)
def _organisation_is_a_subject():
    """The deadline app knows no case: these tests give their clocks an Organisation as the subject."""
    register_subject(Organisation)
    yield
    unregister_subject(Organisation)


@pytest.fixture
def region(db):
    return county("郧西县", "420322")


@pytest.fixture
def centre(region):
    return OrganisationFactory(kind=Organisation.Kind.CENTRE, region=region)


@pytest.fixture
def agency(region):
    return OrganisationFactory(kind=Organisation.Kind.AGENCY, region=region)


@pytest.fixture
def subject(agency):
    """Stands in for a case."""
    return agency


@pytest.fixture
def clerk(centre):
    return user_with_role(Role.CENTRE_CLERK, organisation=centre)


@pytest.fixture
def plan(subject, centre, region, clerk):
    from deadlines.services import deadline_plan

    def _plan(rule_code, starts_on, **kwargs):
        kwargs.setdefault("responsible_organisation", centre)
        kwargs.setdefault("region", region)
        kwargs.setdefault("actor", clerk)
        return deadline_plan(
            subject=kwargs.pop("subject", subject), rule_code=rule_code, starts_on=starts_on, **kwargs
        )

    return _plan
