"""Follow-up visits (决定后回访, the fourth of the four 100%): planned by the decision, in the clerk's work,
recorded only with their outcome, an unreachable applicant tried again, a dispute still resolvable
reopened; the figure against a hand count; and an agreement's performance deadline reminded, its miss a
remedy task."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from deadlines import remedies
from deadlines.models import Remedy, Reminder
from deadlines.models import Status as ClockStatus
from disputes.choices import CaseKind, DecisionType, Source
from disputes.choices import Status as CaseStatus
from disputes.clocks import case_deadlines
from disputes.models import Dispute, DisputeEvent
from followups import services
from followups.models import Visit
from followups.selectors import followup_figures
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, mediating
from tests.hearings.test_head_attendance import at

pytestmark = pytest.mark.django_db

REACHED = {
    "visited_on": "2026-04-08",
    "method": "phone",
    "reached_applicant": "yes",
    "reached": "申请人本人",
    "satisfaction": "satisfied",
    "performed": "yes",
    "resolvable": "no",
}


@pytest.fixture
def c() -> County:
    return County()


def decided(c: County, on: str = "2026-03-10", applicant: str = "王大山") -> Dispute:
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, applicant=applicant)
    act(d, "accept", c.clerk, accepted_on="2026-03-03")
    return act(d, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on=on)


def visit_of(d: Dispute) -> Visit:
    return Visit.objects.get(dispute=d, status=Visit.Status.PLANNED)


def test_the_decision_plans_a_visit_in_the_clerks_work_due_30_days_later(c):
    with at(date(2026, 3, 10)):
        d = decided(c)
    visit = visit_of(d)
    clock = case_deadlines().get(subject_id=d.pk, rule__code="followup_visit")
    assert (visit.due_on, visit.assigned_to) == (clock.due_on, c.clerk) == (date(2026, 4, 9), c.clerk)
    client = Client()
    client.force_login(c.clerk)
    with at(date(2026, 4, 1)):
        home = client.get(reverse("home")).content.decode()
    assert "我的回访" in home and d.number in home and "2026年4月9日" in home
    outsider = Client()
    outsider.force_login(c.other_liaison)
    assert outsider.get(visit.get_absolute_url()).status_code == 404


def test_a_visit_without_its_outcome_is_refused_with_nothing_written(c):
    with at(date(2026, 3, 10)):
        d = decided(c)
    visit = visit_of(d)
    events = DisputeEvent.objects.count()
    with at(date(2026, 4, 8)):
        for missing in ("satisfaction", "performed", "resolvable", "reached"):
            with pytest.raises(ValidationError) as refused:
                services.visit_record(
                    visit_id=visit.pk, actor=c.clerk, data={k: v for k, v in REACHED.items() if k != missing}
                )
            assert missing in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            services.visit_record(visit_id=visit.pk, actor=c.clerk, data={**REACHED, "resolvable": "yes"})
        assert "remaining" in refused.value.message_dict  # what remains to resolve, if it can be
        with pytest.raises(PermissionDenied):
            services.visit_record(visit_id=visit.pk, actor=c.liaison, data=REACHED)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED and visit.visited_on is None
    assert DisputeEvent.objects.count() == events
    assert case_deadlines().get(subject_id=d.pk, rule__code="followup_visit").status == ClockStatus.OPEN


def test_an_unreachable_applicant_is_an_outcome_with_its_attempts_and_a_second_attempt(c):
    with at(date(2026, 3, 10)):
        d = decided(c)
    first = visit_of(d)
    with at(date(2026, 4, 8)):
        with pytest.raises(ValidationError) as refused:
            services.visit_record(
                visit_id=first.pk,
                actor=c.clerk,
                data={"visited_on": "2026-04-08", "method": "phone", "reached_applicant": "no"},
            )
        assert set(refused.value.message_dict) == {"attempt_note"}
        services.visit_record(
            visit_id=first.pk,
            actor=c.clerk,
            data={
                "visited_on": "2026-04-08",
                "method": "phone",
                "reached_applicant": "no",
                "attempt_note": "两次拨打登记电话无人接听",
            },
        )
    second = visit_of(d)
    assert (second.follows, second.due_on) == (first, date(2026, 4, 15))
    assert [a.pk for a in second.attempts()] == [first.pk]
    assert case_deadlines().get(subject_id=d.pk, rule__code="followup_visit").status == ClockStatus.OPEN
    with at(date(2026, 4, 13)):
        services.visit_record(
            visit_id=second.pk, actor=c.clerk, data={**REACHED, "visited_on": "2026-04-13", "method": "visit"}
        )
    clock = case_deadlines().get(subject_id=d.pk, rule__code="followup_visit")
    assert (clock.status, clock.met_on) == (ClockStatus.MET, date(2026, 4, 13))  # four days late


def test_a_visit_finding_the_dispute_resolvable_reopens_resolution_linked_to_it(c):
    with at(date(2026, 3, 10)):
        d = decided(c)
    visit = visit_of(d)
    with at(date(2026, 4, 8)):
        services.visit_record(
            visit_id=visit.pk,
            actor=c.clerk,
            data={
                **REACHED,
                "satisfaction": "dissatisfied",
                "performed": "partly",
                "resolvable": "yes",
                "remaining": "补偿款尚差3万元，双方均愿协商",
            },
        )
    d.refresh_from_db()
    visit.refresh_from_db()
    assert d.status == CaseStatus.ACCEPTED and d.current_resolution is not None
    assert visit.reopened_by is not None and visit.reopened_by.action == "reopen"
    assert "补偿款尚差3万元" in visit.reopened_by.reason
    chain = list(DisputeEvent.objects.filter(dispute=d).order_by("at", "pk").values_list("action", flat=True))
    assert chain[-3:] == ["decide", "followup_visit", "reopen"]
    assert case_deadlines().get(subject_id=d.pk, rule__code="resolution_period").status == ClockStatus.OPEN


def test_the_followup_figure_equals_a_hand_count(c):
    """Six decisions on 10 March (visits due 9 April), counted on 20 April: A visited (satisfied);
    B not visited (missed); C unreachable, then visited (dissatisfied); D visited early, reopened and then
    resolved by agreement; E decided on 10 April, not yet due; F decided on 10 April, visited already
    (very satisfied: counted as due). Due 5 (A, B, C, D, F), followed up 4: 80.00%; 3 of 4 satisfied."""
    with at(date(2026, 3, 10)):
        a, b, cc, dd = (decided(c, applicant=n) for n in "ABCD")
    with at(date(2026, 4, 10)):
        e, f = (decided(c, on="2026-04-10", applicant=n) for n in "EF")
    with at(date(2026, 4, 8)):
        services.visit_record(visit_id=visit_of(a).pk, actor=c.clerk, data=REACHED)
        services.visit_record(
            visit_id=visit_of(cc).pk,
            actor=c.clerk,
            data={
                "visited_on": "2026-04-08",
                "method": "phone",
                "reached_applicant": "no",
                "attempt_note": "关机",
            },
        )
        services.visit_record(
            visit_id=visit_of(dd).pk,
            actor=c.clerk,
            data={**REACHED, "resolvable": "yes", "remaining": "补偿标准"},
        )
        act(dd, "assign_mediators", c.clerk, mediators=[c.mediator.pk])
        act(dd, "reach_agreement", c.mediator, agreement_terms="补偿20万元", signed_on="2026-04-08")
    with at(date(2026, 4, 14)):
        services.visit_record(
            visit_id=visit_of(cc).pk,
            actor=c.clerk,
            data={**REACHED, "visited_on": "2026-04-14", "satisfaction": "dissatisfied"},
        )
        services.visit_record(
            visit_id=visit_of(f).pk,
            actor=c.clerk,
            data={**REACHED, "visited_on": "2026-04-14", "satisfaction": "very_satisfied"},
        )
    figures = followup_figures(Dispute.objects.all(), today=date(2026, 4, 20))
    by_case = {ev.dispute_id: ev.pk for ev in DisputeEvent.objects.filter(action="decide")}
    assert sorted(figures.due) == sorted(by_case[x.pk] for x in (a, b, cc, dd, f))
    assert sorted(figures.followed_up) == sorted(by_case[x.pk] for x in (a, cc, dd, f))
    assert figures.missed == [by_case[b.pk]] and figures.not_yet_due == [by_case[e.pk]]
    assert figures.rate == Decimal("80.00")
    assert (figures.reached, figures.satisfied, figures.satisfaction_rate) == (4, 3, Decimal("75.00"))
    assert figures.reopened == [dd.pk] and figures.reopened_resolved == [dd.pk]
    page = Client()
    page.force_login(c.clerk)
    with at(date(2026, 4, 20)):
        html = page.get(reverse("followups:list")).content.decode()
    assert "80.00%" in html


def test_an_agreements_performance_deadline_is_reminded_and_its_miss_opens_a_remedy(c):
    with at(date(2026, 3, 10)):
        d = mediating(c)
        act(
            d,
            "reach_agreement",
            c.mediator,
            agreement_terms="乙方于3月31日前重新核定补偿",
            signed_on="2026-03-10",
            perform_by="2026-03-31",
        )
    clock = case_deadlines().get(subject_id=d.pk, rule__code="performance")
    assert (clock.due_on, clock.responsible_organisation) == (date(2026, 3, 31), c.agency)
    reminded = set(Reminder.objects.filter(deadline=clock).values_list("recipient__username", "offset_days"))
    assert (c.liaison.username, 7) in reminded or any(user == c.liaison.username for user, _ in reminded)
    with at(date(2026, 4, 2)):
        remedies.remedies_open_missed()
    remedy = Remedy.objects.get(deadline=clock)
    assert (remedy.problem, remedy.organisation) == ("not_performing", c.agency)


def test_the_api_lists_records_and_counts_within_reach(c):
    from rest_framework.test import APIClient

    def api(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    with at(date(2026, 3, 10)):
        d = decided(c)
    visit = visit_of(d)
    assert api(c.other_liaison).get(reverse("api-followup-visit", args=[visit.pk])).status_code == 404
    mine = api(c.clerk).get(reverse("api-followup-visits") + "?mine=true&status=planned").json()["results"]
    assert [v["id"] for v in mine] == [visit.pk] and mine[0]["due_on"] == "2026-04-09"
    url = reverse("api-followup-visit-record", args=[visit.pk])
    with at(date(2026, 4, 8)):
        bad = api(c.clerk).post(
            url, {"visited_on": "2026-04-08", "method": "phone", "reached_applicant": True}, format="json"
        )
        assert bad.status_code == 400 and {"reached", "satisfaction", "performed", "resolvable"} <= set(
            bad.json()
        )
        assert (
            api(c.liaison)
            .post(url, {**REACHED, "reached_applicant": True, "resolvable": False}, format="json")
            .status_code
            == 403
        )
        done = api(c.clerk).post(
            url, {**REACHED, "reached_applicant": True, "resolvable": False}, format="json"
        )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["satisfaction"]) == ("done", "satisfied")
    with at(date(2026, 4, 20)):
        figures = api(c.clerk).get(reverse("api-followup-figures")).json()
    assert (
        figures["rate"] == "100.00" and api(c.liaison).get(reverse("api-followup-figures")).status_code == 403
    )


def test_the_performance_figure_equals_a_hand_count(c):
    """Four agreements with a day to perform by (31 March), counted on 10 April: one performed on time,
    one performed late, one never; one due in May (not yet due). On time 1 of 3: 33.33%."""
    from followups.selectors import performance_figures

    with at(date(2026, 3, 10)):
        cases = [mediating(c, applicant=n) for n in "ABCD"]
        for d, by in zip(cases, ("2026-03-31", "2026-03-31", "2026-03-31", "2026-05-31"), strict=True):
            act(
                d,
                "reach_agreement",
                c.mediator,
                agreement_terms="按期支付补偿",
                signed_on="2026-03-10",
                perform_by=by,
            )
    clocks = {d.pk: case_deadlines().get(subject_id=d.pk, rule__code="performance") for d in cases}
    from deadlines.services import deadline_meet

    deadline_meet(subject=cases[0], rule_code="performance", met_on=date(2026, 3, 30), actor=c.liaison)
    deadline_meet(subject=cases[1], rule_code="performance", met_on=date(2026, 4, 3), actor=c.liaison)
    figures = performance_figures(Dispute.objects.all(), today=date(2026, 4, 10))
    ids = [clocks[d.pk].pk for d in cases]
    assert figures.due == ids[:3] and figures.on_time == [ids[0]]
    assert figures.late_or_missed == [ids[1], ids[2]] and figures.not_yet_due == [ids[3]]
    assert figures.rate == Decimal("33.33")


def test_a_centres_policy_sets_the_days_and_follows_up_agreements_and_court_outcomes(c):
    from followups.models import CentrePolicy

    CentrePolicy.objects.create(centre=c.centre, visit_days=15, after_agreements=True)
    with at(date(2026, 3, 10)):
        d = decided(c)
        agreed = mediating(c, applicant="李四")
        act(agreed, "reach_agreement", c.mediator, agreement_terms="补偿20万元", signed_on="2026-03-10")
    visit = visit_of(d)
    clock = case_deadlines().get(subject_id=d.pk, rule__code="followup_visit")
    assert visit.due_on == clock.due_on == date(2026, 3, 25)  # the centre's 15 days, the clock with it
    after = visit_of(agreed)
    assert (after.due_on, after.decision_event.action) == (date(2026, 3, 25), "reach_agreement")
    assert case_deadlines().get(subject_id=agreed.pk, rule__code="followup_visit").due_on == date(2026, 3, 25)
    # Court outcomes are not followed up under this policy.
    assert not Visit.objects.filter(decision_event__action="record_outcome").exists()
