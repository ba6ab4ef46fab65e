"""Background jobs: one recompute per calendar change, the reminder scan and the remedy scan. Thin: the work is in
``deadlines.services`` and ``deadlines.reminders``.

No daily job flips running clocks to *missed*: a clock is overdue once ``due_on`` is past
(``selectors.overdue_q``, one indexed range), and it is judged missed when it ends unmet."""

from __future__ import annotations

from celery import shared_task

from . import remedies, reminders, services


@shared_task(name="deadlines.tasks.recompute_deadlines")
def recompute_deadlines(years: list[int] | None = None) -> int:
    """Count the running clocks again after the holiday calendar changed (``years``: the years written)."""
    return services.deadlines_recompute(years=years)


@shared_task(name="deadlines.tasks.send_reminders")
def send_reminders() -> int:
    """The reminder scan (beat, every five minutes): every reminder whose day has come, sent once."""
    return reminders.reminders_send_due()


@shared_task(name="deadlines.tasks.open_remedies")
def open_remedies() -> int:
    """The remedy scan (beat, hourly): a remedy task for every missed clock that has none."""
    return remedies.remedies_open_missed()


def queue_recompute(years: frozenset[int] | None) -> None:
    """Registered with ``core.workdays.on_calendar_edit``: runs after the calendar's transaction commits,
    once per transaction, and queues a single job for all the years it wrote."""
    recompute_deadlines.delay(years=sorted(years) if years is not None else None)
