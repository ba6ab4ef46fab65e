import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _uses_db(request) -> tuple[bool, bool]:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    return transactional or bool(marker) or bool(names & {"db", "django_db_reset_sequences"}), transactional


@pytest.fixture(autouse=True)
def _calendar_state(request):
    """The working-day calendar is cached per process: a test's rolled-back rows must not leak into the
    next test. A transactional test ends by emptying every table, the calendar that a data migration
    loaded included: put it back, as the migration would."""
    uses_db, transactional = _uses_db(request)
    if not uses_db:
        yield
        return
    from core.workdays import calendar_changed

    calendar_changed()
    yield
    if transactional:
        import importlib

        from django.apps import apps

        importlib.import_module("core.migrations.0003_load_calendar_2025_2026").load(apps, None)
    calendar_changed()
