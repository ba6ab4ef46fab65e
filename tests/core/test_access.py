"""Who sees what: for every role, the records in and out of reach, in HTML and in the API.

A record out of reach answers 404 (not 403, not the record), so a user cannot even learn it exists.
"""

import pytest
from django.urls import reverse

from core.access import scoped
from core.models import Organisation, Region
from core.roles import Capability, Role
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, RegionFactory, UserFactory, county, user_with_role

pytestmark = pytest.mark.django_db

# For each role: can the user see (own organisation, another agency in the same county, an agency in
# another county)?
EXPECTED = {
    Role.CENTRE_CLERK: (True, True, False),
    Role.COURT_CLERK: (True, True, False),
    Role.LEGAL_AID_STAFF: (True, True, False),
    Role.ADMINISTRATOR: (True, True, False),
    Role.MEDIATOR: (True, False, False),
    Role.LEGAL_AID_LAWYER: (True, False, False),
    Role.AGENCY_LIAISON: (True, False, False),
    Role.AGENCY_HEAD_PRINCIPAL: (True, False, False),
    Role.AGENCY_HEAD_DEPUTY: (True, False, False),
    Role.COMMITTEE_MEMBER: (False, False, False),
    Role.SECURITY_ADMINISTRATOR: (False, False, False),
    Role.AUDIT_ADMINISTRATOR: (False, False, False),
}


def test_every_role_has_an_expectation():
    assert set(EXPECTED) == set(Role.values)


@pytest.fixture
def world():
    province = RegionFactory(name="湖北省", code="420000")
    city = RegionFactory(name="十堰市", code="420300", level=Region.Level.CITY, parent=province)
    home = RegionFactory(name="郧西县", code="420322", level=Region.Level.COUNTY, parent=city)
    away = RegionFactory(name="郧阳区", code="420304", level=Region.Level.COUNTY, parent=city)
    township = RegionFactory(name="上津镇", code="420322102", level=Region.Level.TOWNSHIP, parent=home)
    return {
        "home": home,
        "away": away,
        "township": township,
        "agency_b": OrganisationFactory(name="郧西县公安局", kind=Organisation.Kind.AGENCY, region=home),
        "agency_far": OrganisationFactory(
            name="郧阳区自然资源局", kind=Organisation.Kind.AGENCY, region=away
        ),
    }


def _user(role, world):
    kind = "agency" if role.startswith("agency") else None
    if kind:
        own = OrganisationFactory(name="郧西县自然资源和规划局", kind=kind, region=world["home"])
        return user_with_role(role, organisation=own)
    return user_with_role(role, region=world["home"])


@pytest.mark.parametrize("role", list(EXPECTED))
def test_html_and_api_agree_on_reach(role, world, client, api_client):
    user = _user(role, world)
    targets = (user.organisation, world["agency_b"], world["agency_far"])
    client.force_login(user)
    api_client.force_authenticate(user)
    for target, visible in zip(targets, EXPECTED[role], strict=True):
        html = client.get(reverse("organisation-detail", args=[target.pk]))
        api = api_client.get(f"/api/organisations/{target.pk}/")
        expected_status = 200 if visible else 404
        assert html.status_code == expected_status, (role, target.name, "html")
        assert api.status_code == expected_status, (role, target.name, "api")
        if visible:
            assert target.name in html.content.decode()
            assert api.json()["name"] == target.name
        else:
            if target != user.organisation:  # the page header names the user's own organisation
                assert target.name not in html.content.decode()
            assert target.name not in api.content.decode()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_lists_contain_exactly_what_is_reachable(role, world, api_client):
    user = _user(role, world)
    api_client.force_authenticate(user)
    response = api_client.get("/api/organisations/")
    if role in (Role.COMMITTEE_MEMBER, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR):
        assert response.status_code == 403  # reports, or the log, only: no directory at all
        return
    names = {row["name"] for row in response.json()["results"]}
    own, same_county, far = EXPECTED[role]
    assert (user.organisation.name in names) == own
    assert ("郧西县公安局" in names) == same_county
    assert "郧阳区自然资源局" not in names


def test_county_clerk_sees_townships_below_the_county(world):
    clerk = user_with_role(Role.CENTRE_CLERK, region=world["home"])
    township_agency = OrganisationFactory(name="上津镇人民政府", region=world["township"])
    assert township_agency in scoped(Organisation.objects.all(), clerk)


def test_city_clerk_sees_every_county_of_the_city(world):
    city_clerk = user_with_role(Role.CENTRE_CLERK, region=world["home"].parent)
    visible = set(scoped(Organisation.objects.all(), city_clerk))
    assert {world["agency_b"], world["agency_far"]} <= visible


def test_inactive_users_and_users_without_roles_see_nothing(world):
    no_role = UserFactory(organisation=world["agency_b"])
    inactive = user_with_role(Role.CENTRE_CLERK, region=world["home"], is_active=False)
    assert not scoped(Organisation.objects.all(), no_role).exists()
    assert not scoped(Organisation.objects.all(), inactive).exists()


def test_superuser_flag_grants_no_reach(world):
    """The flag opens the admin site; what a superuser sees still comes from roles and organisation."""
    root = UserFactory(organisation=None, is_superuser=True, is_staff=True)
    assert not scoped(Organisation.objects.all(), root).exists()
    assert not root.can(Capability.REGISTER_DISPUTE)
    county_admin = user_with_role(Role.ADMINISTRATOR, region=world["home"], is_superuser=True, is_staff=True)
    visible = set(scoped(Organisation.objects.all(), county_admin))
    assert world["agency_b"] in visible and world["agency_far"] not in visible


def test_user_api_hides_other_agencies_people(world, api_client):
    liaison = _user(Role.AGENCY_LIAISON, world)
    other = user_with_role(Role.AGENCY_LIAISON, organisation=world["agency_b"])
    api_client.force_authenticate(liaison)
    assert api_client.get(f"/api/users/{other.pk}/").status_code == 404
    assert api_client.get(f"/api/users/{liaison.pk}/").status_code == 200


def test_anonymous_is_sent_to_login(client, api_client, world):
    response = client.get(reverse("organisation-detail", args=[world["agency_b"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api_client.get(f"/api/organisations/{world['agency_b'].pk}/").status_code in (401, 403)


def test_superuser_of_another_district_gets_404_for_a_case_and_its_parties(client, api_client):
    c = County()
    case = c.register()
    root = user_with_role(
        Role.ADMINISTRATOR, region=county("郧阳区", code="420304"), is_superuser=True, is_staff=True
    )
    api_client.force_authenticate(root)
    assert api_client.get(f"/api/disputes/{case.pk}/").status_code == 404
    assert case.number not in api_client.get("/api/disputes/").content.decode()
    client.force_login(root)
    assert client.get(reverse("disputes:detail", args=[case.pk])).status_code == 404
    # The admin site is open to them, but shows only what their organisation reaches.
    for listing in ("/admin/disputes/dispute/", "/admin/disputes/disputeevent/"):
        page = client.get(listing)
        assert page.status_code == 200 and case.number not in page.content.decode(), listing
    page = client.get(f"/admin/disputes/dispute/{case.pk}/change/", follow=True)
    assert case.number not in page.content.decode()
    home_admin = user_with_role(Role.ADMINISTRATOR, organisation=c.bureau, is_superuser=True, is_staff=True)
    client.force_login(home_admin)
    assert case.number in client.get("/admin/disputes/dispute/").content.decode()
    assert case.number in client.get("/admin/disputes/disputeevent/").content.decode()


def test_an_organisation_s_reach_leaves_out_relations_that_cannot_name_its_kind():
    """A case names an agency as respondent and a court as court (``limit_choices_to``): an agency's
    reach is the respondent column alone, so the list's index in its order serves it, and the cases
    it reaches are the same."""
    from core.access import reach_filter
    from disputes.models import Dispute

    c = County()
    mine = c.register()
    c.register(respondent=c.other_agency)

    def where(user) -> str:
        return str(Dispute.objects.filter(reach_filter(user, Dispute)).query).split(" WHERE ")[1]

    agency_q = where(c.liaison)
    assert "respondent_id" in agency_q and "court_id" not in agency_q
    assert list(scoped(Dispute.objects.all(), c.liaison)) == [mine]
    court_user = UserFactory(organisation=c.court)
    court_user.roles.create(role=Role.AGENCY_LIAISON)  # an organisation's reach, held by a court
    court_q = where(court_user)
    assert "court_id" in court_q and "respondent_id" not in court_q
