"""The lifecycle of stored clocks: plan, meet, pause, resume, extend, cancel, correct; each change in the
deadline's history; and the recompute when the holiday calendar changes."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from core.models import CalendarDay
from deadlines import services, tasks
from deadlines.models import ChangeReason, Deadline, DeadlineChange, DeadlineRule, Status
from deadlines.selectors import overdue_q

pytestmark = pytest.mark.django_db


def _reasons(deadline):
    return list(deadline.changes.order_by("at", "pk").values_list("reason", flat=True))


def test_every_default_rule_of_deadlines_md_is_loaded():
    codes = set(DeadlineRule.objects.values_list("code", flat=True))
    assert {
        "recon_acceptance_review",
        "recon_correction",
        "recon_copy_to_respondent",
        "recon_reply",
        "recon_decision",
        "hearing_notice",
        "lit_answer",
        "lit_appeal",
        "court_head_notice",
        "confirmation_application",
        "resolution_period",
        "performance",
        "aid_decision",
        "aid_assignment",
        "followup_visit",
        "recon_decision_simplified",
        "lit_copy_to_agency",
        "report_receipt",
        "aid_objection_review",
    } <= codes
    reply = DeadlineRule.objects.get(code="recon_reply")
    assert (reply.length, reply.unit, reply.basis) == (10, "working_days", "行政复议法 第四十八条、第七十条")


def test_the_rule_loader_is_idempotent_and_keeps_a_centres_edits():
    import importlib

    from django.apps import apps

    DeadlineRule.objects.filter(code="followup_visit").update(length=15)
    count = DeadlineRule.objects.count()
    importlib.import_module("deadlines.migrations.0002_load_default_rules").load(apps, None)
    assert DeadlineRule.objects.count() == count
    assert DeadlineRule.objects.get(code="followup_visit").length == 15


def test_planning_copies_the_rule_and_is_idempotent(plan):
    deadline = plan("recon_reply", date(2026, 2, 13), start_event="收到申请书副本")
    assert deadline.due_on == date(2026, 3, 5)
    assert (deadline.length, deadline.unit, deadline.status, deadline.provisional) == (
        10,
        "working_days",
        "open",
        False,
    )
    assert plan("recon_reply", date(2026, 2, 13)).pk == deadline.pk
    assert _reasons(deadline) == [ChangeReason.PLANNED]

    # Editing the rule later changes no running clock.
    DeadlineRule.objects.filter(code="recon_reply").update(length=20)
    deadline.refresh_from_db()
    assert deadline.length == 10 and deadline.due_on == date(2026, 3, 5)

    # Planned again from a new start (e.g. the copy served again): counted again, recorded.
    again = plan("recon_reply", date(2026, 3, 2))
    assert again.pk == deadline.pk and again.length == 20
    change = again.changes.last()
    assert (change.reason, change.old_due_on, change.new_due_on) == (
        ChangeReason.REPLANNED,
        date(2026, 3, 5),
        again.due_on,
    )


def test_one_subject_has_several_clocks_of_one_rule_by_key(plan):
    first = plan("hearing_notice", date(2026, 10, 9), key="hearing-1")
    second = plan("hearing_notice", date(2026, 10, 20), key="hearing-2")
    assert first.pk != second.pk
    assert first.due_on == date(2026, 9, 24)  # 5 working days before the hearing, across National Day


def test_suspension_resumption_extension_and_meeting_the_decision(plan, subject, clerk):
    deadline = plan("recon_decision", date(2026, 1, 20))
    assert deadline.due_on == date(2026, 3, 23)  # 60 days: Saturday 03-21 rolls to Monday

    paused = services.deadline_pause(subject=subject, on=date(2026, 2, 10), actor=clerk)
    assert [d.pk for d in paused] == [deadline.pk]
    deadline.refresh_from_db()
    assert deadline.status == Status.PAUSED
    assert deadline.paused_days_left == 39  # to 03-21, the end before roll-over
    assert services.deadline_pause(subject=subject, on=date(2026, 2, 11), actor=clerk) == []  # idempotent

    services.deadline_resume(subject=subject, on=date(2026, 2, 20), actor=clerk)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.due_on) == (Status.OPEN, date(2026, 3, 31))
    from deadlines.api.serializers import DeadlineSerializer

    assert DeadlineSerializer(deadline).data["explanation"] == (
        "中止后恢复计算：39 日，自 2026年2月20日 次日起算；末日 2026年3月31日"
    )

    services.deadline_extend(
        subject=subject, rule_code="recon_decision", by_days=30, reason="经负责人批准延长", actor=clerk
    )
    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 4, 30)

    services.deadline_meet(subject=subject, rule_code="recon_decision", met_on=date(2026, 4, 29), actor=clerk)
    services.deadline_meet(subject=subject, rule_code="recon_decision", met_on=date(2026, 4, 29), actor=clerk)
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on, deadline.met_in_time) == (Status.MET, date(2026, 4, 29), True)
    assert _reasons(deadline) == ["planned", "suspension", "resumption", "extension", "met"]
    extension = deadline.changes.get(reason="extension")
    assert (extension.old_due_on, extension.new_due_on, extension.note, extension.actor) == (
        date(2026, 3, 31),
        date(2026, 4, 30),
        "经负责人批准延长",
        clerk,
    )
    with pytest.raises(services.DeadlineError):
        services.deadline_extend(
            subject=subject, rule_code="recon_decision", by_days=5, reason="", actor=clerk
        )


def test_an_extension_to_a_date_and_a_late_meeting(plan, subject, clerk):
    deadline = plan("lit_answer", date(2026, 9, 18))
    assert deadline.due_on == date(2026, 10, 8)
    services.deadline_extend(
        subject=subject, rule_code="lit_answer", new_due_on=date(2026, 10, 20), reason="法院准许", actor=clerk
    )
    met = services.deadline_meet(
        subject=subject, rule_code="lit_answer", met_on=date(2026, 10, 21), actor=clerk
    )
    assert met.due_fixed and met.met_in_time is False


def test_cancel_ends_running_clocks_only_once(plan, subject, clerk):
    aid = plan("aid_decision", date(2026, 5, 6))
    reply = plan("recon_reply", date(2026, 5, 6))
    services.deadline_meet(subject=subject, rule_code="recon_reply", met_on=date(2026, 5, 8), actor=clerk)
    withdrawn = date(2026, 5, 12)
    ended = services.deadline_cancel(subject=subject, reason="撤回申请", actor=clerk, on=withdrawn)
    assert [d.pk for d in ended] == [aid.pk]
    assert services.deadline_cancel(subject=subject, reason="撤回申请", actor=clerk, on=withdrawn) == []
    aid.refresh_from_db()
    reply.refresh_from_db()
    assert (aid.status, reply.status) == (Status.CANCELLED, Status.MET)
    assert _reasons(aid) == ["planned", "cancelled"]


def test_a_corrected_start_counts_again(plan, subject, clerk):
    plan("lit_answer", date(2026, 9, 18))
    deadline = services.deadline_correct_start(
        subject=subject, rule_code="lit_answer", starts_on=date(2026, 9, 10), actor=clerk
    )
    # 09-25: 中秋节, then the weekend: Monday 09-28.
    assert deadline.due_on == date(2026, 9, 28)
    change = deadline.changes.last()
    assert (change.reason, change.old_due_on, change.new_due_on) == (
        "date_corrected",
        date(2026, 10, 8),
        date(2026, 9, 28),
    )


def test_a_fixed_due_date_from_a_document(plan):
    deadline = plan("performance", date(2026, 6, 1), due_on=date(2026, 7, 15))
    assert (deadline.due_on, deadline.due_fixed) == (date(2026, 7, 15), True)


def test_overdue_only_after_the_end_of_the_last_day_and_missed_when_it_ends_unmet(plan, subject, clerk):
    deadline = plan("report_receipt", date(2026, 3, 2))
    other = plan("recon_reply", date(2026, 3, 2))
    assert deadline.due_on == date(2026, 3, 4)
    assert not Deadline.objects.filter(overdue_q(date(2026, 3, 4))).exists()
    assert set(Deadline.objects.filter(overdue_q(date(2026, 3, 5)))) == {deadline}
    # The stage ends on 03-05: the clock past its last day is missed, the one still running cancelled.
    ended = services.deadline_cancel(subject=subject, reason="撤回申请", actor=clerk, on=date(2026, 3, 5))
    assert {d.pk: d.status for d in ended} == {deadline.pk: Status.MISSED, other.pk: Status.CANCELLED}
    deadline.refresh_from_db()
    assert _reasons(deadline)[-1] == "missed" and deadline.days_left is None
    assert not Deadline.objects.filter(overdue_q(date(2026, 3, 5))).exists()  # ended: nothing to chase


def test_adding_a_holiday_moves_an_open_deadline_and_leaves_a_met_one(
    plan, subject, clerk, django_capture_on_commit_callbacks
):
    open_one = plan("recon_reply", date(2026, 3, 2))
    met_one = plan("recon_copy_to_respondent", date(2026, 3, 2))
    assert (open_one.due_on, met_one.due_on) == (date(2026, 3, 16), date(2026, 3, 11))
    services.deadline_meet(
        subject=subject, rule_code="recon_copy_to_respondent", met_on=date(2026, 3, 5), actor=clerk
    )

    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2026, 3, 10), kind="holiday", name="测试假日")
    open_one.refresh_from_db()
    met_one.refresh_from_db()
    assert open_one.due_on == date(2026, 3, 17)
    assert met_one.due_on == date(2026, 3, 11) and _reasons(met_one) == ["planned", "met"]
    change = open_one.changes.last()
    assert (change.reason, change.old_due_on, change.new_due_on, change.actor) == (
        "holiday_added",
        date(2026, 3, 16),
        date(2026, 3, 17),
        None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.get(date=date(2026, 3, 10)).delete()
    open_one.refresh_from_db()
    assert open_one.due_on == date(2026, 3, 16)
    assert _reasons(open_one) == ["planned", "holiday_added", "holiday_removed"]


CN_2027 = """\
# Statutory holidays (holiday) and make-up working days (workday) in mainland China, 2027 (test file).
# Source: 国务院办公厅关于2027年部分节假日安排的通知（测试）, 2026-11-10.
date,kind,name
2027-01-01,holiday,元旦
2027-10-01,holiday,国庆节
2027-10-02,holiday,国庆节
2027-10-03,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-10-09,workday,国庆节
"""


def test_a_provisional_2027_deadline_is_recomputed_once_when_the_2027_calendar_is_loaded(
    plan, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    new_year = plan("recon_decision", date(2026, 11, 2))
    national_day = plan("lit_answer", date(2027, 9, 19))
    settled = plan("recon_reply", date(2026, 3, 2))
    assert (new_year.due_on, new_year.provisional) == (date(2027, 1, 4), True)
    assert (national_day.due_on, national_day.provisional) == (date(2027, 10, 4), True)  # 10-04 unknown yet

    jobs = []
    real_delay = tasks.recompute_deadlines.delay
    monkeypatch.setattr(tasks.recompute_deadlines, "delay", lambda **kw: (jobs.append(kw), real_delay(**kw)))
    path = tmp_path / "cn-2027.csv"
    path.write_text(CN_2027, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_calendar", str(path), stdout=io.StringIO())
    assert jobs == [{"years": [2027]}]  # one job for nine rows

    new_year.refresh_from_db()
    national_day.refresh_from_db()
    assert (new_year.due_on, new_year.provisional) == (date(2027, 1, 4), False)
    assert (national_day.due_on, national_day.provisional) == (date(2027, 10, 8), False)
    assert _reasons(national_day) == ["planned", "provisional_replaced"]
    assert national_day.changes.last().old_due_on == date(2027, 10, 4)
    assert _reasons(new_year) == ["planned", "provisional_replaced"]
    assert _reasons(settled) == ["planned"]
    assert DeadlineChange.objects.filter(reason="provisional_replaced").count() == 2


def test_a_holiday_added_in_the_admin_calendar_page_queues_one_recompute(
    plan, client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from core.roles import Role
    from tests.factories import user_with_role

    deadline = plan("recon_reply", date(2026, 3, 2))
    jobs = []
    real_delay = tasks.recompute_deadlines.delay
    monkeypatch.setattr(tasks.recompute_deadlines, "delay", lambda **kw: (jobs.append(kw), real_delay(**kw)))
    client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_calendarday_add"),
            {"date": "2026-03-10", "kind": "holiday", "name": "测试假日", "source": ""},
        )
    assert response.status_code == 302
    assert jobs == [{"years": [2026]}]
    deadline.refresh_from_db()
    assert deadline.due_on == date(2026, 3, 17)


def test_a_subject_model_must_be_registered(plan, region):
    # A Region stands in for a model whose app registered no deadline subject.
    with pytest.raises(LookupError):
        plan("recon_reply", date(2026, 3, 2), subject=region)
    assert not Deadline.objects.exists()


def test_an_inactive_rule_plans_nothing(plan):
    DeadlineRule.objects.filter(code="feedback").update(is_active=False)
    assert plan("feedback", date(2026, 3, 2)) is None
    assert not Deadline.objects.exists()


def test_a_notice_counted_back_from_a_hearing_moves_with_the_calendar(
    plan, django_capture_on_commit_callbacks
):
    notice = plan("hearing_notice", date(2026, 3, 13), key="hearing-1")
    assert notice.due_on == date(2026, 3, 6)  # 5 working days before Friday 03-13
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2026, 3, 10), kind="holiday", name="测试假日")
    notice.refresh_from_db()
    assert notice.due_on == date(2026, 3, 5)  # one working day fewer in between: served a day earlier
    assert notice.changes.last().reason == "holiday_added"
