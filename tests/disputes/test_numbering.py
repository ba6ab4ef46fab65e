"""Case numbers: 〔year〕short-name + 化/复 + 字第N号, one gap-free series per centre, year and kind."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.models import NumberSequence
from disputes.choices import CaseKind, Source
from disputes.models import Dispute, DisputeEvent, Party
from disputes.numbering import format_case_number
from tests.disputes.factories import County
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return County()


def recon(c, **kw):
    return c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, **kw)


def test_number_format(c):
    assert (
        format_case_number(centre=c.centre, year=2026, kind=CaseKind.RESOLUTION, sequence=12)
        == "〔2026〕郧西化字第12号"
    )
    assert (
        format_case_number(centre=c.centre, year=2026, kind=CaseKind.RECONSIDERATION, sequence=3)
        == "〔2026〕郧西复字第3号"
    )
    nameless = OrganisationFactory(
        name="竹山县行政争议化解中心", short_name="", kind="centre", region=c.region
    )
    assert format_case_number(centre=nameless, year=2025, kind=CaseKind.RESOLUTION, sequence=1) == (
        "〔2025〕竹山县行政争议化解中心化字第1号"
    )


def test_numbers_run_per_kind(c):
    first, second = c.register(), c.register(applicant="李四")
    r1 = recon(c)
    third = c.register(applicant="王五")
    assert [d.number for d in (first, second, third)] == [
        "〔2026〕郧西化字第1号",
        "〔2026〕郧西化字第2号",
        "〔2026〕郧西化字第3号",
    ]
    assert r1.number == "〔2026〕郧西复字第1号"
    assert (third.year, third.sequence, third.kind) == (2026, 3, CaseKind.RESOLUTION)


def test_numbers_run_per_year_of_receipt(c):
    late = c.register(received_on=date(2025, 12, 30), act_date=date(2025, 11, 1))
    early = c.register(received_on=date(2026, 1, 20))
    assert late.number == "〔2025〕郧西化字第1号"
    assert early.number == "〔2026〕郧西化字第1号"


def test_numbers_run_per_centre(c):
    station = OrganisationFactory(
        name="郧西县土门镇化解工作站", short_name="土门", kind="centre", region=c.region
    )
    a = c.register()
    from disputes.services import dispute_register  # the factory always uses the county centre

    b = dispute_register(actor=c.clerk, centre=station, data=_data(c), parties=_parties())
    assert (a.number, b.number) == ("〔2026〕郧西化字第1号", "〔2026〕土门化字第1号")
    assert set(NumberSequence.objects.filter(year=2026).values_list("series", flat=True)) == {
        "case:郧西化",
        "case:土门化",
    }


def _data(c):
    from disputes.choices import ActKind, Consent, MatterCategory

    return {
        "kind": CaseKind.RESOLUTION,
        "source": Source.WALK_IN,
        "received_on": date(2026, 3, 2),
        "respondent": c.agency,
        "act_kind": ActKind.EXPROPRIATION,
        "act_date": date(2026, 1, 15),
        "act_summary": "征收补偿决定",
        "matter": MatterCategory.LAND,
        "claims": "提高补偿",
        "consent": Consent.NOT_ASKED,
    }


def _parties(**kw):
    from disputes.choices import PartyKind, PartyRole
    from disputes.services import PartyInput

    return [PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="赵六", **kw)]


def test_failed_registration_gives_its_number_back(c):
    from disputes.services import dispute_register

    c.register()
    counts = (Dispute.objects.count(), Party.objects.count(), DisputeEvent.objects.count())
    # The party's ID number is checked after the number was taken: the whole registration rolls back.
    with pytest.raises(ValidationError) as info:
        dispute_register(
            actor=c.clerk, centre=c.centre, data=_data(c), parties=_parties(id_number="420322198001011230")
        )
    assert "parties.0.id_number" in info.value.message_dict
    assert (Dispute.objects.count(), Party.objects.count(), DisputeEvent.objects.count()) == counts
    assert NumberSequence.objects.get(series="case:郧西化", year=2026).last_value == 1

    after = c.register(applicant="李四")
    assert after.number == "〔2026〕郧西化字第2号"


def test_year_first_failure_leaves_no_sequence_row(c):
    from disputes.services import dispute_register

    with pytest.raises(ValidationError):
        dispute_register(actor=c.clerk, centre=c.centre, data=_data(c), parties=_parties(phone="12345"))
    assert not NumberSequence.objects.exists()
    assert c.register().number == "〔2026〕郧西化字第1号"


def test_two_bodies_with_one_short_name_share_one_series(c):
    """The bureau and the centre of the county are both 郧西: they draw from one series, so their
    numbers can never collide."""
    from disputes.services import dispute_register

    first = c.register()
    second = dispute_register(actor=c.clerk, centre=c.bureau, data=_data(c), parties=_parties())
    assert (first.number, second.number) == ("〔2026〕郧西化字第1号", "〔2026〕郧西化字第2号")
    data = {**_data(c), "kind": CaseKind.RECONSIDERATION, "source": Source.RECONSIDERATION}
    third = dispute_register(actor=c.clerk, centre=c.bureau, data=data, parties=_parties())
    assert third.number == "〔2026〕郧西复字第1号"
