"""Demonstration resolution (示范性化解): a lead case's agreement applied to similar cases of one agency."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from disputes.choices import Status
from disputes.models import Dispute, DisputeSeries
from disputes.services import TransitionRefused, series_apply_lead_agreement, series_create
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import accepted, act, agreed, writes_nothing

pytestmark = pytest.mark.django_db

S = Status


@pytest.fixture
def c():
    return County()


def households(c, n=3):
    """A lead case that reached agreement and ``n - 1`` accepted cases of neighbours."""
    lead = agreed(c, applicant="黄永福")
    members = [accepted(c, applicant=name) for name in ["黄永贵", "何翠兰", "黄德胜"][: n - 1]]
    return lead, members


def test_series_groups_cases_of_one_agency(c):
    lead, members = households(c)
    series = series_create(
        actor=c.clerk,
        name="土门镇征地补偿系列案",
        lead_id=lead.pk,
        member_ids=[m.pk for m in members],
        description="同一征收决定",
    )
    assert series.lead == lead and series.centre == c.centre
    assert set(series.members.values_list("pk", flat=True)) == {lead.pk, *(m.pk for m in members)}
    for d in [lead, *members]:
        event = d.events.order_by("-pk").first()
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            "join_series",
            c.clerk,
            d.status,
            d.status,
        )
        assert event.data == {"series": "土门镇征地补偿系列案", "lead": lead.number}
        history = Dispute.history.filter(id=d.pk).order_by("-history_id").first()
        assert (history.series_id, history.history_user) == (series.pk, c.clerk)


def test_series_refusals_write_nothing(c):
    lead, members = households(c)
    other = c.register(respondent=c.other_agency, applicant="马六")
    with writes_nothing(), pytest.raises(ValidationError) as info:
        series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[members[0].pk, other.pk])
    assert "member_ids" in info.value.message_dict and other.number in info.value.messages[0]
    assert not DisputeSeries.objects.exists()

    with writes_nothing(), pytest.raises(PermissionDenied):
        series_create(actor=c.mediator, name="系列案", lead_id=lead.pk, member_ids=[members[0].pk])
    with writes_nothing(), pytest.raises(ValidationError) as info:
        series_create(actor=c.clerk, name=" ", lead_id=lead.pk, member_ids=[members[0].pk])
    assert "name" in info.value.message_dict
    with writes_nothing(), pytest.raises(ValidationError) as info:
        series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[])
    assert "member_ids" in info.value.message_dict
    with writes_nothing(), pytest.raises(ValidationError):
        series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[members[0].pk, 999999])

    # No case in two series.
    series_create(actor=c.clerk, name="第一批", lead_id=lead.pk, member_ids=[members[0].pk])
    with writes_nothing(), pytest.raises(ValidationError) as info:
        series_create(actor=c.clerk, name="第二批", lead_id=members[1].pk, member_ids=[members[0].pk])
    assert members[0].number in info.value.messages[0]


def test_lead_agreement_applied_to_each_chosen_member(c):
    lead, members = households(c, n=4)
    series = series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[m.pk for m in members])
    chosen, left_out = members[:2], members[2]
    history_before = {m.pk: Dispute.history.filter(id=m.pk).count() for m in members}

    applied = series_apply_lead_agreement(
        series_id=series.pk, actor=c.clerk, member_ids=[m.pk for m in chosen]
    )
    assert sorted(d.pk for d in applied) == sorted(m.pk for m in chosen)
    for m in chosen:
        m.refresh_from_db()
        assert m.status == S.AGREED
        event = m.events.order_by("-pk").first()
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            "adopt_series_agreement",
            c.clerk,
            S.ACCEPTED,
            S.AGREED,
        )
        assert lead.number in event.reason
        resolution = m.current_resolution
        assert (resolution.agreement_terms, resolution.agreement_signed_on) == (
            lead.current_resolution.agreement_terms,
            lead.current_resolution.agreement_signed_on,
        )
        assert Dispute.history.filter(id=m.pk).count() == history_before[m.pk] + 1
    left_out.refresh_from_db()
    assert left_out.status == S.ACCEPTED
    assert not left_out.events.filter(action="adopt_series_agreement").exists()

    # Each member then goes its own way (its own confirmation and closing).
    d = act(chosen[0], "close", c.clerk, closing_reason="agreement_performed")
    assert d.status == S.CLOSED


def test_applying_is_all_or_nothing(c):
    lead, members = households(c)
    late = c.register(applicant="黄德胜")  # registered, not yet accepted: cannot take an agreement
    series = series_create(
        actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[*(m.pk for m in members), late.pk]
    )
    with writes_nothing(), pytest.raises(TransitionRefused) as info:
        series_apply_lead_agreement(
            series_id=series.pk, actor=c.clerk, member_ids=[*(m.pk for m in members), late.pk]
        )
    assert late.number in info.value.message
    for m in members:
        m.refresh_from_db()
        assert m.status == S.ACCEPTED

    with writes_nothing(), pytest.raises(PermissionDenied):
        series_apply_lead_agreement(series_id=series.pk, actor=c.liaison, member_ids=[members[0].pk])
    outsider = accepted(c, applicant="外人")
    with writes_nothing(), pytest.raises(ValidationError):
        series_apply_lead_agreement(series_id=series.pk, actor=c.clerk, member_ids=[outsider.pk])
    with writes_nothing(), pytest.raises(ValidationError):
        series_apply_lead_agreement(series_id=series.pk, actor=c.clerk, member_ids=[lead.pk])


def test_no_agreement_to_apply_before_the_lead_has_one(c):
    lead = accepted(c, applicant="黄永福")
    member = accepted(c, applicant="黄永贵")
    series = series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[member.pk])
    with writes_nothing(), pytest.raises(TransitionRefused):
        series_apply_lead_agreement(series_id=series.pk, actor=c.clerk, member_ids=[member.pk])


@pytest.mark.django_db
def test_the_series_action_is_offered_only_to_members_of_a_series_whose_lead_agreed():
    from disputes.selectors import available_actions

    c = County()
    loner = act(c.register(), "accept", c.clerk, accepted_on="2026-03-03")
    assert "adopt_series_agreement" not in available_actions(loner, c.clerk)
