"""The one due-date computation, against the 2026 calendar as the State Council published it."""

from datetime import date

import pytest
from django.utils import translation

from deadlines.arithmetic import compute_due
from deadlines.models import Unit

pytestmark = pytest.mark.django_db

W, D, M = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.MONTHS


@pytest.mark.parametrize(
    ("start", "length", "unit", "rolls_over", "expected"),
    [
        # Spring Festival 2026: 02-15..02-23 holidays; Saturdays 02-14 and 02-28 are make-up working days.
        (date(2026, 2, 13), 10, W, True, date(2026, 3, 5)),
        (date(2026, 2, 13), 1, W, True, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 14), 1, W, True, date(2026, 2, 24)),  # the holidays do not
        (date(2026, 2, 20), 5, W, True, date(2026, 2, 28)),  # 24, 25, 26, 27, Saturday 28
        (date(2026, 2, 10), 7, D, True, date(2026, 2, 24)),  # 02-17 is a holiday: next working day
        (date(2026, 2, 10), 7, D, False, date(2026, 2, 17)),
        (date(2026, 2, 7), 7, D, True, date(2026, 2, 14)),  # a Saturday that is a working day stays
        # National Day 2026: 10-01..10-07 holidays, Saturday 10-10 a make-up working day.
        (date(2026, 9, 28), 5, W, True, date(2026, 10, 10)),
        (date(2026, 9, 18), 15, D, True, date(2026, 10, 8)),
        (date(2026, 9, 18), 15, D, False, date(2026, 10, 3)),
        (date(2026, 4, 1), 6, M, True, date(2026, 10, 8)),
        (date(2026, 1, 31), 1, M, True, date(2026, 2, 28)),  # clamped; a make-up Saturday
        # Counted back from a hearing: a rest day moves the last day earlier.
        (date(2026, 10, 9), -5, W, True, date(2026, 9, 24)),
        (date(2026, 10, 9), -3, D, True, date(2026, 9, 30)),
        (date(2026, 10, 9), -3, D, False, date(2026, 10, 6)),
    ],
)
def test_due_dates_across_spring_festival_and_national_day_2026(start, length, unit, rolls_over, expected):
    due = compute_due(start=start, length=length, unit=unit, rolls_over=rolls_over)
    assert due.due_on == expected
    assert due.provisional is False


def test_the_explanation_says_how_it_was_counted_in_the_active_language():
    due = compute_due(start=date(2026, 2, 13), length=10, unit=W, rolls_over=True)
    assert due.explanation == "10 个工作日，自 2026年2月13日 次日起算，节假日不计；末日 2026年3月5日"
    rolled = compute_due(start=date(2026, 9, 18), length=15, unit=D, rolls_over=True)
    assert rolled.explanation == "15 日，自 2026年9月18日 次日起算；末日为休息日，顺延至 2026年10月8日"
    with translation.override("en"):
        again = compute_due(start=date(2026, 2, 13), length=10, unit=W, rolls_over=True)
    assert again.explanation == (
        "10 working days, counted from the day after Feb. 13, 2026, holidays not counted; last day March 5, 2026"
    )


def test_a_period_through_a_year_without_a_published_calendar_is_provisional():
    # 60 days from 2026-11-02 is 2027-01-01, New Year's Day by 全国年节及纪念日放假办法 even before the
    # 2027 notice: it rolls over the weekend to Monday 2027-01-04, marked provisional.
    due = compute_due(start=date(2026, 11, 2), length=60, unit=D, rolls_over=True)
    assert (due.due_on, due.provisional) == (date(2027, 1, 4), True)
    assert compute_due(start=date(2026, 10, 2), length=60, unit=D, rolls_over=True).provisional is False
