import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The working-day calendar is cached per process; a test's rolled-back rows must not leak."""
    from core.workdays import calendar_changed

    calendar_changed()
    yield
    calendar_changed()
