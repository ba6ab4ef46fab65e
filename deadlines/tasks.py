"""Background jobs: one recompute per calendar change, one daily scan for missed deadlines. Thin: the
work is in ``deadlines.services``."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services


@shared_task(name="deadlines.tasks.recompute_deadlines")
def recompute_deadlines(years: list[int] | None = None) -> int:
    """Count the running clocks again after the holiday calendar changed (``years``: the years written)."""
    return services.deadlines_recompute(years=years)


@shared_task(name="deadlines.tasks.mark_missed")
def mark_missed(today: str | None = None) -> int:
    """Daily (beat): running clocks whose last day has ended become missed."""
    return services.deadlines_mark_missed(today=date.fromisoformat(today) if today else None)


def queue_recompute(years: frozenset[int] | None) -> None:
    """Registered with ``core.workdays.on_calendar_edit``: runs after the calendar's transaction commits,
    once per transaction, and queues a single job for all the years it wrote."""
    recompute_deadlines.delay(years=sorted(years) if years is not None else None)
