"""The working-day calendar statutory deadlines count with (core.workdays, CalendarDay, load_calendar).

The data migration loads core/data/calendar/cn-2025.csv and cn-2026.csv, so those years are present."""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from core import workdays
from core.models import CalendarDay
from core.workdays import (
    SHANGHAI,
    add_days,
    add_months,
    add_working_days,
    calendar_missing_years,
    days_remaining,
    deadline_end,
    is_working_day,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(db):
    """Test transactions roll back without telling the in-process cache: start and end clean."""
    workdays.calendar_changed()
    yield
    workdays.calendar_changed()


def _load_calendar(*paths) -> str:
    """Run the command in English (messages are translated) and return what it printed."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_calendar", *map(str, paths), stdout=out, no_color=True)
    return out.getvalue()


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CN_2027_SAMPLE = """\
# Statutory holidays (holiday) and make-up working days (workday) in mainland China, 2027 (test sample).
# Source: 国务院办公厅关于2027年部分节假日安排的通知（测试）, 2026-11-01. Weekends not listed here are rest days.
date,kind,name
2027-01-01,holiday,元旦
2027-10-01,holiday,国庆节
2027-10-09,workday,国庆节
"""


def test_the_shipped_calendars_are_loaded_with_their_source():
    assert CalendarDay.objects.filter(date__year=2025).count() == 33
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
    national_day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert national_day.kind == CalendarDay.Kind.HOLIDAY
    assert national_day.name == "国庆节"
    assert national_day.source == "国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04"
    assert CalendarDay.objects.get(date=date(2025, 1, 1)).source == "国办发明电〔2024〕12号, 2024-11-12"


def test_national_day_2026_is_a_week_of_holidays_then_a_thursday_working_day():
    assert not any(is_working_day(date(2026, 10, day)) for day in range(1, 8))
    assert date(2026, 10, 8).weekday() == 3  # Thursday
    assert is_working_day(date(2026, 10, 8))


@pytest.mark.parametrize("start_day", range(16, 23))  # 2026-09-16 … 09-22: day 15 is 10-01 … 10-07
def test_a_15_day_period_ending_in_the_national_day_holiday_rolls_over_to_october_8(start_day):
    start = date(2026, 9, start_day)
    assert date(2026, 10, 1) <= start + timedelta(days=15) <= date(2026, 10, 7)
    assert add_days(start, 15) == date(2026, 10, 8)


def test_add_days_does_not_count_the_start_and_keeps_a_working_last_day():
    assert add_days(date(2026, 3, 2), 15) == date(2026, 3, 17)  # Monday + 15 = Tuesday
    assert add_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert add_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Saturday rolls to Monday
    with pytest.raises(ValueError):
        add_days(date(2026, 3, 2), -1)


def test_five_working_days_across_spring_festival_2026_skip_the_holidays_and_count_make_up_days():
    # Thu 02-12 → Fri 13 (1), Sat 14 make-up (2), 15–23 holiday, Tue 24 (3), Wed 25 (4), Thu 26 (5)
    assert is_working_day(date(2026, 2, 14))
    assert add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    # Tue 02-24 → 25 (1), 26 (2), 27 (3), Sat 28 make-up (4), Sun 03-01 rest, Mon 03-02 (5)
    assert is_working_day(date(2026, 2, 28))
    assert add_working_days(date(2026, 2, 24), 5) == date(2026, 3, 2)
    assert working_days_between(date(2026, 2, 12), date(2026, 3, 2)) == 8  # 13 14 24 25 26 27 28 02


def test_make_up_weekend_days_around_national_day_2026_are_working_days():
    assert date(2026, 9, 20).weekday() == 6 and is_working_day(date(2026, 9, 20))
    assert date(2026, 10, 10).weekday() == 5 and is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 11))  # the Sunday after is an ordinary rest day
    assert next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert next_working_day(date(2026, 10, 8)) == date(2026, 10, 9)


def test_add_working_days_counts_back_with_a_negative_n_and_zero_is_the_start():
    # a hearing on Thu 2026-10-08: back over the holiday week to 09-30 (1), 29 (2), 28 (3),
    # over Mid-Autumn 09-25–27 to 24 (4), 23 (5)
    assert add_working_days(date(2026, 10, 8), -5) == date(2026, 9, 23)
    assert add_working_days(date(2026, 10, 8), 0) == date(2026, 10, 8)


def test_working_days_between_inverts_add_working_days():
    start = date(2026, 1, 1)
    for n in (0, 3, 5, 7, 10, 60):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # clamped; a Friday
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped; a Saturday, but a make-up working day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year (2028 not loaded: weekends only)
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),  # clamped across a year end
        (date(2026, 5, 31), 1, date(2026, 6, 30)),  # clamped to the 30th
        (date(2026, 5, 21), 1, date(2026, 6, 22)),  # 06-21 is a Sunday holiday (端午节)
        (date(2026, 4, 1), 6, date(2026, 10, 8)),  # six-month trial period ending on National Day
        (date(2026, 3, 15), 0, date(2026, 3, 16)),  # Sunday rolls to Monday
    ],
)
def test_add_months_clamps_to_the_last_day_and_rolls_over(start, months, expected):
    assert add_months(start, months) == expected


def test_deadline_ends_at_the_end_of_its_last_day_in_beijing_time():
    end = deadline_end(date(2026, 10, 8))
    assert end == datetime(2026, 10, 8, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert end.utcoffset() == timedelta(hours=8)
    assert end < datetime(2026, 10, 9, tzinfo=SHANGHAI)


def test_days_remaining_is_negative_when_overdue():
    deadline = date(2026, 10, 8)
    assert days_remaining(deadline, today=date(2026, 10, 1)) == 7
    assert days_remaining(deadline, today=deadline) == 0
    assert days_remaining(deadline, today=date(2026, 10, 10)) == -2
    # 2026-10-09 00:30 in Beijing is still 10-08 in UTC: "today" is Beijing's date
    with time_machine.travel(datetime(2026, 10, 9, 0, 30, tzinfo=SHANGHAI), tick=False):
        assert days_remaining(deadline) == -1


def test_missing_years_are_reported_and_counted_with_the_statutory_holidays_only():
    assert calendar_missing_years(2024, 2027) == [2024, 2027]
    assert calendar_missing_years(2025, 2026) == []
    assert workdays.is_provisional_year(2027) and not workdays.is_provisional_year(2026)
    # Without the 2027 arrangement, the holidays of 全国年节及纪念日放假办法 still count: National Day
    # (1–3 October), and 春节 from 除夕 (2027-02-05) to 初三, from the lunar calendar.
    assert not is_working_day(date(2027, 10, 1))  # a Friday
    assert is_working_day(date(2027, 10, 4))  # bridging days are only known from the yearly notice
    assert [d for d in (date(2027, 2, 4) + timedelta(days=i) for i in range(6)) if not is_working_day(d)] == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]
    assert not is_working_day(date(2027, 4, 5))  # 清明, a Monday in 2027
    assert not is_working_day(date(2027, 6, 9))  # 端午
    assert not is_working_day(date(2027, 9, 15))  # 中秋
    assert not is_working_day(date(2027, 5, 1)) and not is_working_day(date(2027, 1, 1))


def test_load_calendar_loads_a_year_idempotently_and_the_cache_follows(tmp_path):
    path = _write(tmp_path, "cn-2027.csv", CN_2027_SAMPLE)
    assert not is_working_day(date(2027, 10, 9))  # a Saturday, before the notice makes it a working day
    assert "3 days added, 0 updated, 0 unchanged" in _load_calendar(path)
    assert calendar_missing_years(2027, 2027) == []
    assert not is_working_day(date(2027, 10, 1))
    assert is_working_day(date(2027, 10, 9))  # Saturday make-up working day
    day = CalendarDay.objects.get(date=date(2027, 10, 9))
    assert day.kind == CalendarDay.Kind.WORKDAY
    assert day.source == "国务院办公厅关于2027年部分节假日安排的通知（测试）, 2026-11-01"

    assert "0 days added, 0 updated, 3 unchanged" in _load_calendar(path)
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    _write(
        tmp_path, "cn-2027.csv", CN_2027_SAMPLE.replace("2027-01-01,holiday,元旦", "2027-01-01,holiday,新年")
    )
    assert "0 days added, 1 updated, 2 unchanged" in _load_calendar(path)
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "新年"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2027-02-30,holiday,春节", "line 7"),
        ("2027/02/10,holiday,春节", "line 7"),
        ("2027-02-10,vacation,春节", "line 7"),
        ("2027-02-10,holiday", "line 7"),
        ("2027-02-10,holiday,", "line 7"),
        ("2027-02-10,workday,春节", "line 7"),  # a Wednesday cannot be a make-up working day
        ("2027-01-01,holiday,元旦", "listed twice"),
    ],
)
def test_load_calendar_with_a_bad_row_writes_nothing(tmp_path, bad_row, message):
    good = _write(tmp_path, "cn-2028.csv", "date,kind,name\n2028-01-01,holiday,元旦\n")
    # lines 1–2 comments, 3 the header, 4–6 good rows, 7 the bad row
    bad = _write(
        tmp_path,
        "cn-2027.csv",
        CN_2027_SAMPLE.replace("2027-10-09,workday,国庆节\n", f"2027-10-09,workday,国庆节\n{bad_row}\n"),
    )
    before = CalendarDay.objects.count()
    with pytest.raises(CommandError) as err:
        _load_calendar(good, bad)
    assert message in str(err.value)
    assert "cn-2027.csv" in str(err.value)
    assert CalendarDay.objects.count() == before
    assert calendar_missing_years(2027, 2028) == [2027, 2028]


def test_load_calendar_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="nowhere.csv: no such file"):
        _load_calendar(tmp_path / "nowhere.csv")


def test_saving_or_deleting_a_day_updates_the_calendar_at_once():
    friday = date(2026, 10, 9)
    assert is_working_day(friday)
    extra = CalendarDay.objects.create(date=friday, kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert not is_working_day(friday)
    extra.delete()
    assert is_working_day(friday)
    CalendarDay.objects.filter(date__range=(date(2026, 10, 1), date(2026, 10, 7))).delete()
    assert is_working_day(date(2026, 10, 1))


def test_a_make_up_working_day_must_fall_on_a_weekend():
    with pytest.raises(ValidationError) as err:
        CalendarDay(date=date(2027, 3, 3), kind=CalendarDay.Kind.WORKDAY, name="测试").full_clean()
    assert "kind" in err.value.message_dict
    CalendarDay(date=date(2027, 3, 6), kind=CalendarDay.Kind.WORKDAY, name="测试").full_clean()


def test_computing_100_deadlines_in_2026_runs_at_most_one_query(
    django_assert_max_num_queries, django_assert_num_queries
):
    starts = [date(2026, 1, 5) + timedelta(days=3 * i) for i in range(100)]
    with django_assert_max_num_queries(1):
        for start in starts:
            add_working_days(start, 5)
            add_days(start, 15)
            add_months(start, 1)
            deadline_end(add_working_days(start, 10))
            days_remaining(add_days(start, 7), today=date(2026, 6, 1))
            calendar_missing_years(2026, 2026)
    with django_assert_num_queries(0):
        assert add_days(date(2026, 9, 18), 15) == date(2026, 10, 8)


def test_calendar_edit_hooks_run_once_per_committed_transaction(django_capture_on_commit_callbacks):
    from django.db import transaction

    calls = []
    hook = workdays.on_calendar_edit(calls.append)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():  # a write rolled back is never handed on
            CalendarDay.objects.create(date=date(2029, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
            raise RuntimeError
        with django_capture_on_commit_callbacks(execute=True):
            CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
            CalendarDay.objects.create(date=date(2028, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
        assert calls == [frozenset({2027, 2028})]
        with django_capture_on_commit_callbacks(execute=True):
            CalendarDay.objects.filter(date__year=2028).update(name="新年")
        assert calls[-1] is None  # a bulk update does not say which years: every year
        with django_capture_on_commit_callbacks(execute=False):
            workdays.calendar_changed()  # a cache reload alone is no calendar edit
        assert len(calls) == 2
    finally:
        workdays._hooks.remove(hook)
