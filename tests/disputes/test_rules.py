"""One place for each rule: the readers that show the same thing in different places agree.

* the statutory clock: the case page's clock (``current_clock``) and the list's overdue flag and
  filter (``overdue_q`` in SQL) give the same answer for every case, every day, around holidays, with
  extensions and suspensions, because both read the case's stored deadlines;
* the field history: the case page and the API show the same changes and hide the same fields;
* the current row of a stage, action labels and possible duplicates: one reader each.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
import time_machine
from django.db.models import Prefetch
from django.test import Client

from core import workdays
from core.models import User
from demo.services import demo_seed
from disputes import selectors, services
from disputes.choices import CaseKind, Consent, DecisionType, Source
from disputes.choices import Status as S
from disputes.clocks import current_clock, overdue_q, running_deadlines
from disputes.models import Dispute, Party, Resolution
from disputes.services import PartyInput, dispute_transition
from tests.disputes.factories import County, resident_id

pytestmark = pytest.mark.django_db

# 15 September – 31 October 2026: 中秋 (25–27 September), 国庆 (1–7 October) and the make-up working
# days (Sunday 20 September, Saturday 10 October) all fall inside.
DAYS = [date(2026, 9, 15) + timedelta(days=i) for i in range(47)]


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=workdays.SHANGHAI), tick=False)


def act(d, action, actor, **data):
    return dispute_transition(dispute_id=d.pk, action=action, actor=actor, data=data)


# --- the statutory clock ---------------------------------------------------------------------------


def assert_list_agrees_with_the_case_page(user: User, cases: list[Dispute]) -> dict[str, set[bool]]:
    """For every day of ``DAYS``: each case's overdue flag in the list (SQL) equals the overdue state
    of the clock on its case page (Python). Returns, by status, the answers seen."""
    pages = {d.pk: selectors.dispute_get(user=user, pk=d.pk) for d in cases}  # as the page loads it
    seen: dict[str, set[bool]] = {}
    for today in DAYS:
        with at(today):
            listed = {row.pk: row.is_overdue for row in selectors.dispute_list(user=user, filters={})}
            overdue_ids = set(
                selectors.dispute_list(user=user, filters={"overdue": "yes"}).values_list("pk", flat=True)
            )
            for pk, page in pages.items():
                clock = current_clock(running_deadlines(page))
                shown = bool(clock and clock.overdue)
                assert listed[pk] == shown, (page.number, page.status, today, clock)
                assert (pk in overdue_ids) == shown, (page.number, page.status, today, "filter")
                seen.setdefault(page.status, set()).add(shown)
    return seen


def _statuses_with_a_running_clock(cases: list[Dispute]) -> set[str]:
    return {d.status for d in cases if any(x.status == "open" for x in running_deadlines(d))}


@pytest.fixture
def county_cases():
    """A case in each status that runs a clock, with deadlines placed around 中秋 and 国庆, plus
    extensions, suspensions, the simplified procedure and clocks that have stopped."""
    c = County()
    cases: dict[str, Dispute] = {}
    recon = {"kind": CaseKind.RECONSIDERATION, "source": Source.RECONSIDERATION}
    with at(date(2026, 9, 19)):
        cases["registered_before_holidays"] = c.register(applicant="甲", received_on=date(2026, 9, 18))
        cases["registered_on_the_eve"] = c.register(applicant="乙", received_on=date(2026, 9, 14))
        d = c.register(applicant="丙", received_on=date(2026, 8, 20))
        cases["accepted"] = act(d, "accept", c.clerk, accepted_on="2026-09-01")  # 30 days: 1 Oct → 8 Oct
        d = c.register(applicant="丁", received_on=date(2026, 8, 20))
        act(d, "accept", c.clerk, accepted_on="2026-09-09")
        cases["mediating"] = act(d, "assign_mediators", c.clerk, mediators=[c.mediator.pk])
        d = c.register(applicant="戊", received_on=date(2026, 7, 20), **recon)
        cases["recon_60"] = act(d, "accept", c.clerk, accepted_on="2026-08-02")  # 60 days: 1 Oct
        d = c.register(applicant="己", received_on=date(2026, 8, 20), **recon)
        cases["recon_simplified"] = act(d, "accept", c.clerk, accepted_on="2026-08-26", simplified=True)
        d = c.register(applicant="庚", received_on=date(2026, 6, 20), **recon)
        act(d, "accept", c.clerk, accepted_on="2026-06-24")
        act(d, "record_reply", c.liaison, reply_received_on="2026-07-01")
        act(d, "suspend", c.clerk, suspended_on="2026-07-10", reason="等待鉴定结论")
        act(d, "resume", c.clerk, resumed_on="2026-07-22")  # +12 days
        cases["recon_extended_and_suspended"] = act(
            d, "extend", c.clerk, days=30, approved_by="李局长", reason="案情复杂"
        )  # 60 + 12 + 30 = 102 days from 24 June: 4 October → 8 October
        d = c.register(applicant="辛", received_on=date(2026, 8, 20), **recon)
        act(d, "accept", c.clerk, accepted_on="2026-08-21")
        cases["recon_suspended"] = act(d, "suspend", c.clerk, suspended_on="2026-09-01", reason="双方和解")
        d = c.register(
            applicant="壬",
            source=Source.COURT_PUSH,
            court=c.court,
            court_case_number="（2026）鄂0322行初30号",
            consent=Consent.REFUSED,
            consent_note="希望直接审理",
            received_on=date(2026, 9, 1),
        )
        cases["lit_noticed"] = act(d, "receive_notice", c.court_clerk, received_on="2026-09-16")  # 1 Oct
        d = c.register(applicant="癸", received_on=date(2026, 7, 1), **recon)
        act(d, "accept", c.clerk, accepted_on="2026-07-02")
        act(d, "record_reply", c.liaison, reply_received_on="2026-07-09")
        act(
            d,
            "decide",
            c.clerk,
            decision_type=DecisionType.REVOKE,
            decided_on="2026-08-20",
            decision_number="郧西政复决字〔2026〕9号",
            duty_to_perform=True,
            perform_by="2026-09-30",
        )
        cases["performance"] = act(d, "take_effect", c.clerk, effective_on="2026-08-25")
    with at(date(2026, 9, 29), hour=23):  # 23:00 Beijing is still the 29th (15:00 UTC)
        d = c.register(applicant="子", received_on=date(2026, 9, 20))
        cases["correction"] = act(d, "request_correction", c.clerk, items="补充身份证明")
    return c, cases


def test_the_list_and_the_case_page_agree_on_overdue_every_day(county_cases):
    c, cases = county_cases
    seen = assert_list_agrees_with_the_case_page(c.clerk, list(cases.values()))
    # Each running clock was seen both in time and overdue, so the comparison is not vacuous.
    # (A reconsideration accepted in summer is overdue all along: its copy to the respondent, 5 working
    # days, ran out in August.)
    running = _statuses_with_a_running_clock(list(cases.values()))
    assert running >= {S.RECON_ACCEPTED, S.ACCEPTED, S.MEDIATING, S.LIT_NOTICED, S.PERFORMANCE}
    for status in (S.ACCEPTED, S.MEDIATING, S.LIT_NOTICED, S.PERFORMANCE, S.RECON_REPLIED):
        assert seen[status] == {False, True}, status
    assert seen[S.RECON_SUSPENDED] == {False}  # the clock stands still


def test_the_clock_lands_on_the_next_working_day_after_holidays(county_cases):
    _, cases = county_cases

    # 60 days from 2 August is 1 October (国庆): the period ends on 8 October, the first working day.
    def decision(case):
        return next(d for d in running_deadlines(case) if d.rule.code == "recon_decision")

    with at(date(2026, 10, 8)):
        assert (decision(cases["recon_60"]).due_on, decision(cases["recon_60"]).days_left) == (
            date(2026, 10, 8),
            0,
        )
    with at(date(2026, 10, 9)):
        assert decision(cases["recon_60"]).days_left == -1
        assert Dispute.objects.filter(pk=cases["recon_60"].pk).filter(overdue_q()).exists()
    # The header shows the clock that ends first: here the copy to the respondent, overdue since August.
    with at(date(2026, 10, 8)):
        clock = current_clock(running_deadlines(cases["recon_60"]))
        assert clock.overdue and clock.due < date(2026, 10, 8) and clock.label == "申请书副本送被申请人"
    # Extension and suspension move the deadline: 24 June + 102 days = 4 October → 8 October.
    decision = [
        d for d in running_deadlines(cases["recon_extended_and_suspended"]) if d.rule.code == "recon_decision"
    ]
    assert [d.due_on for d in decision] == [date(2026, 10, 8)]


@pytest.mark.parametrize("stop", ["answer", "performance"])
def test_a_stopped_clock_is_overdue_in_neither_place(county_cases, stop):
    c, cases = county_cases
    with at(date(2026, 10, 20)):
        if stop == "answer":
            # The agency reports the notice (报备) and records its answer, which is its feedback (反馈).
            act(cases["lit_noticed"], "report_receipt", c.liaison)
            d = act(cases["lit_noticed"], "file_answer", c.liaison, answered_on="2026-10-09")
        else:
            d = act(
                cases["performance"],
                "record_performance",
                c.clerk,
                performed_on="2026-10-09",
                performance_note="已重新作出决定",
            )
        page = selectors.dispute_get(user=c.clerk, pk=d.pk)
        running = running_deadlines(page)
        assert {x.rule.code for x in running} & {"lit_answer", "performance"} == set()
        # What still runs is what the header shows, and the list agrees: a litigated case waits for the
        # court now; the decided reconsideration still owes its follow-up visit (30 days, overdue).
        clock = current_clock(running)
        assert (clock.label if clock else None) == (None if stop == "answer" else "决定后回访")
        overdue = Dispute.objects.filter(pk=d.pk).filter(overdue_q()).exists()
        assert overdue == bool(clock and clock.overdue) == (stop == "performance")


def test_demo_cases_agree_between_the_list_and_the_case_page():
    with at(date(2026, 9, 28)):
        demo_seed()
    clerk = User.objects.get(username="clerk")
    cases = list(selectors.dispute_list(user=clerk, filters={}))
    assert len(cases) >= 10
    seen = assert_list_agrees_with_the_case_page(clerk, cases)
    assert any(True in answers for answers in seen.values())
    assert _statuses_with_a_running_clock(cases)


# --- the field history -----------------------------------------------------------------------------

HISTORY_ROW = re.compile(
    r'<tr data-field="(?P<field>\w+)">.*?<td class="old">(?P<old>.*?)</td><td>(?P<new>.*?)</td>', re.S
)


def test_the_case_page_and_the_api_show_the_same_changes_and_hide_the_same_fields(api_client):
    c = County()
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
    act(d, "accept", c.clerk, accepted_on="2026-03-03")
    act(d, "suspend", c.clerk, suspended_on="2026-03-10", reason="等待鉴定结论")  # status_before_suspension
    act(d, "resume", c.clerk, resumed_on="2026-03-12")
    party = Party.objects.get(dispute=d)
    party.phone = "13800000000"
    party._history_user = c.clerk
    party.save()

    page = Client()
    page.force_login(c.clerk)
    html = page.get(d.get_absolute_url()).content.decode()
    history_html = html[html.index('data-testid="history"') :]
    on_page = sorted(
        (m["field"], unescape(m["old"]), unescape(m["new"])) for m in HISTORY_ROW.finditer(history_html)
    )

    api_client.force_authenticate(c.clerk)
    entries = api_client.get(f"/api/disputes/{d.pk}/history/").json()
    in_api = sorted(
        (change["field"], change["old_display"] or "—", change["new_display"] or "—")
        for entry in entries
        for change in entry["changes"]
    )

    assert on_page == in_api
    fields = {field for field, _, _ in on_page}
    assert {"status", "phone"} <= fields  # the case's and the party's changes, in both
    assert not fields & selectors.HISTORY_HIDDEN
    # The hidden fields did change: hiding them is what keeps them out.
    assert Dispute.history.filter(id=d.pk).exclude(status_before_suspension="").exists()


# --- the current row of a stage --------------------------------------------------------------------


def test_the_current_row_is_the_same_from_prefetched_rows_from_a_query_and_in_sql():
    c = County()
    d = act(c.register(), "accept", c.clerk, accepted_on="2026-03-03")
    first = d.current_resolution
    # A second attempt opened later, and one opened at the same moment (the higher id wins).
    later = Resolution.objects.create(dispute=d, due_on=date(2026, 5, 1), opened_at=first.opened_at)
    Resolution.objects.filter(pk=first.pk).update(opened_at=first.opened_at - timedelta(days=1))

    queried = Dispute.objects.get(pk=d.pk).current_row("resolutions")
    prefetched = (
        Dispute.objects.prefetch_related(Prefetch("resolutions", queryset=Resolution.objects.order_by("pk")))
        .get(pk=d.pk)
        .current_row("resolutions")
    )
    from django.db.models import OuterRef

    in_sql = Resolution.objects.filter(dispute=OuterRef("pk")).filter(Dispute.current_row_q("resolutions"))
    sql_pk = Dispute.objects.filter(pk=d.pk).annotate(current=in_sql.values("pk")[:1]).get().current
    assert queried.pk == prefetched.pk == sql_pk == later.pk


# --- action labels and duplicates ------------------------------------------------------------------


def test_action_labels_come_from_one_place(api_client):
    c = County()
    d = act(c.register(), "accept", c.clerk, accepted_on="2026-03-03")
    api_client.force_authenticate(c.clerk)
    detail = api_client.get(f"/api/disputes/{d.pk}/").json()
    events = api_client.get(f"/api/disputes/{d.pk}/events/").json()
    assert detail["allowed_actions"]
    for action in detail["allowed_actions"]:
        assert action["label"] == selectors.action_label(action["action"]) != action["action"]
    assert [e["action_label"] for e in events] == [selectors.action_label(e["action"]) for e in events]
    page = Client()
    page.force_login(c.clerk)
    html = page.get(d.get_absolute_url()).content.decode()
    assert all(selectors.action_label(a["action"]) in html for a in detail["allowed_actions"])
    # The services use the selectors' rule; they have none of their own.
    assert services.action_label is selectors.action_label
    assert not hasattr(services, "available_actions")


def test_possible_duplicates_are_one_rule_within_reach():
    """The register page and the API both call this selector (their own tests check the warning)."""
    c = County()
    original = c.register(applicant="王大山")
    same_person = c.register(applicant="李四")  # the factory gives every applicant one ID number
    c.register(applicant="王大山", act_date=date(2026, 1, 16))  # another act
    same = {"respondent": c.agency, "act_date": date(2026, 1, 15)}
    by_id = [PartyInput(role="applicant", kind="person", name="别名", id_number=resident_id())]
    by_name = [PartyInput(role="applicant", kind="person", name="王大山")]
    # By ID number when there is one (whatever the name), newest first; else by name.
    assert selectors.dispute_possible_duplicates(user=c.clerk, parties=by_id, **same) == [
        same_person,
        original,
    ]
    assert selectors.dispute_possible_duplicates(user=c.clerk, parties=by_name, **same) == [original]
    # Out of reach (another agency's liaison): not listed, so no link leads to a 404.
    assert selectors.dispute_possible_duplicates(user=c.other_liaison, parties=by_name, **same) == []
    assert not hasattr(services, "dispute_possible_duplicates")
