"""Build disputes the way a clerk would: through dispute_register, never by writing rows directly."""

from datetime import date

from core.models import Organisation, Region
from core.roles import Role
from core.validators import resident_id_check_char, uscc_check_char
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.services import PartyInput, dispute_register
from tests.factories import OrganisationFactory, RegionFactory, user_with_role


def resident_id(birth: str = "19800101", serial: str = "123") -> str:
    first17 = f"420322{birth}{serial}"
    return first17 + resident_id_check_char(first17)


def credit_code(body: str = "91420322MA4") -> str:
    first17 = (body + "0" * 17)[:17]
    return first17 + uscc_check_char(first17)


class County:
    """郧西县 in miniature: a centre, a justice bureau, a court, two agencies and the people."""

    def __init__(self):
        province = RegionFactory(name="湖北省", code="420000")
        city = RegionFactory(name="十堰市", code="420300", level=Region.Level.CITY, parent=province)
        self.region = RegionFactory(name="郧西县", code="420322", level=Region.Level.COUNTY, parent=city)
        self.bureau = OrganisationFactory(
            name="郧西县司法局", short_name="郧西", kind="justice_bureau", region=self.region
        )
        self.centre = OrganisationFactory(
            name="郧西县行政争议化解中心", short_name="郧西", kind="centre", region=self.region
        )
        self.court = OrganisationFactory(
            name="郧西县人民法院", short_name="郧西法院", kind="court", region=self.region
        )
        self.agency = OrganisationFactory(
            name="郧西县自然资源和规划局", kind=Organisation.Kind.AGENCY, region=self.region
        )
        self.other_agency = OrganisationFactory(
            name="郧西县公安局", kind=Organisation.Kind.AGENCY, region=self.region
        )
        self.clerk = user_with_role(Role.CENTRE_CLERK, organisation=self.centre, name="张敏")
        self.court_clerk = user_with_role(Role.COURT_CLERK, organisation=self.court, name="李娜")
        self.mediator = user_with_role(Role.MEDIATOR, organisation=self.centre, name="陈建国")
        self.liaison = user_with_role(Role.AGENCY_LIAISON, organisation=self.agency, name="刘洋")
        self.other_liaison = user_with_role(Role.AGENCY_LIAISON, organisation=self.other_agency, name="马超")

    def register(
        self, *, kind=CaseKind.RESOLUTION, source=Source.WALK_IN, actor=None, applicant="王大山", **overrides
    ):
        data = {
            "kind": kind,
            "source": source,
            "received_on": date(2026, 3, 2),
            "respondent": self.agency,
            "act_kind": ActKind.EXPROPRIATION,
            "act_date": date(2026, 1, 15),
            "act_document_number": "郧西自然资征〔2026〕3号",
            "act_summary": "土门镇集体土地征收补偿安置决定",
            "matter": MatterCategory.LAND,
            "amount": "186000.00",
            "claims": "请求撤销补偿安置决定，按新标准补偿",
            "facts": "申请人房屋位于土门镇，征收补偿标准低于邻村",
            "consent": Consent.NOT_ASKED,
        }
        data.update(overrides)
        parties = [
            PartyInput(
                role=PartyRole.APPLICANT,
                kind=PartyKind.PERSON,
                name=applicant,
                id_number=resident_id(),
                phone="13907191234",
            )
        ]
        return dispute_register(actor=actor or self.clerk, centre=self.centre, data=data, parties=parties)
