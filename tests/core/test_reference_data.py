"""Reference data that a data migration loads must be there for every test and every run of the suite.

`.ci/run` runs this file once more on PostgreSQL after the whole suite, reusing its database: a suite
whose transactional tests leave the holiday calendar empty fails here (the next `make test` would
count 1 October, National Day, as a working day).
"""

from datetime import date

import pytest
from django.db import connection

from core.models import CalendarDay
from core.workdays import is_working_day

pytestmark = pytest.mark.django_db


def test_the_shipped_holiday_calendar_is_loaded():
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert CalendarDay.objects.filter(date__year=2026).exists()
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 9, 30))


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_the_calendar_for_the_next_one():
    # This test's database is flushed when it ends; the next test (in file order) still finds the calendar.
    assert CalendarDay.objects.exists()
    assert connection.vendor in {"sqlite", "postgresql"}


def test_after_a_transactional_test_the_calendar_is_still_there():
    assert not is_working_day(date(2026, 10, 1))
