import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _uses_db(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    return bool(marker) or bool(
        names & {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    )


def _load_reference_data(using: str = "default") -> None:
    """Put back the reference data that data migrations load (the holiday calendar, the default deadline
    rules), if it is missing. Loading is idempotent, so a database that has it is left as it is."""
    import importlib

    from django.apps import apps

    from core.models import CalendarDay
    from core.workdays import calendar_changed

    if not CalendarDay.objects.using(using).exists():
        importlib.import_module("core.migrations.0003_load_calendar_2025_2026").load(apps, None)
    calendar_changed()
    importlib.import_module("deadlines.migrations.0002_load_default_rules").load(apps, None)
    importlib.import_module("deadlines.migrations.0003_followup_visit_basis").forwards(apps, None)
    importlib.import_module("deadlines.migrations.0008_remedy_rules").forwards(apps, None)
    importlib.import_module("hearings.migrations.0003_head_answer_rule").forwards(apps, None)


def _reference_data_after_flush(sender, using="default", **kwargs):
    # A transactional test ends with `flush`, which empties every table, the calendar included, and
    # then sends post_migrate: put the reference data back right there, so neither the next test nor
    # the next run of the suite (--reuse-db keeps the database) finds an empty calendar.
    if sender.label == "core":
        _load_reference_data(using)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with its reference data present even when --reuse-db picked up a database
    that an older run left without it."""
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        _load_reference_data()
    post_migrate.connect(_reference_data_after_flush, dispatch_uid="tests-reference-data")
    yield
    post_migrate.disconnect(dispatch_uid="tests-reference-data")


@pytest.fixture(autouse=True)
def _calendar_state(request):
    """The working-day calendar is cached per process: a test's rolled-back rows must not leak into the
    next test."""
    if not _uses_db(request):
        yield
        return
    from core.workdays import calendar_changed

    calendar_changed()
    yield
    calendar_changed()
