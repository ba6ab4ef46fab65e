"""Bulletins on schedule: every morning, the bulletins of the periods that closed yesterday."""

from __future__ import annotations

from celery import shared_task

from core import workdays


@shared_task(name="reports.tasks.build_due_bulletins")
def build_due_bulletins() -> int:
    from .bulletins import bulletins_due

    return len(bulletins_due(workdays.today()))


@shared_task(name="reports.tasks.warm_dashboards")
def warm_dashboards() -> int:
    from .dashboard import warm

    return warm()
