"""The administrators' calendar warning and the admin pages."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from core.home import panels_for
from core.models import CalendarDay
from core.roles import Role
from core.workdays import SHANGHAI
from deadlines.models import Deadline, DeadlineRule
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _calendar_panel(user):
    return next((p for p in panels_for(user) if str(p.title) == "节假日安排"), None)


def test_administrators_are_warned_from_1_november_until_next_years_calendar_is_loaded():
    admin = user_with_role(Role.ADMINISTRATOR, is_staff=True)
    with time_machine.travel(datetime(2026, 10, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        assert _calendar_panel(admin) is None
    with time_machine.travel(datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        panel = _calendar_panel(admin)
        assert panel is not None
        assert "2027 年节假日安排尚未导入" in str(panel.items[0].label)
        assert panel.items[0].url == reverse("admin:core_calendarday_changelist")
        assert _calendar_panel(user_with_role(Role.CENTRE_CLERK)) is None  # administrators only
        CalendarDay.objects.create(date="2027-01-01", kind="holiday", name="元旦")
        assert _calendar_panel(admin) is None


def test_rules_are_edited_with_validation_and_deadlines_are_read_only(client, plan):
    deadline = plan("recon_reply", date(2026, 3, 2))
    superuser = user_with_role(
        Role.ADMINISTRATOR, is_staff=True, is_superuser=True, organisation=deadline.responsible_organisation
    )
    client.force_login(superuser)
    rule = DeadlineRule.objects.get(code="followup_visit")
    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    data = {
        "label_zh": rule.label_zh,
        "label_en": rule.label_en,
        "law": rule.law,
        "article": rule.article,
        "start_event": rule.start_event,
        "length": "0",
        "unit": "months",
        "rolls_over": "on",
        "responsible_party": rule.responsible_party,
        "reminder_offsets": "[7, 1]",
        "is_active": "on",
        "notes": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "期限长度不能为零" in response.content.decode()
    response = client.post(url, {**data, "length": "45", "unit": "days"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.length, rule.code) == (45, "followup_visit")

    page = client.get(reverse("admin:deadlines_deadline_change", args=[deadline.pk])).content.decode()
    assert "recon_reply" in page and "已计划" in page  # the history inline
    assert 'name="due_on"' not in page  # read-only
    assert client.get(reverse("admin:deadlines_deadline_changelist")).status_code == 200
    assert Deadline.objects.count() == 1
