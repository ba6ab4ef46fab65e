"""Background jobs: sending what waits on the outside channels. One task, a scan: queued after a
notification's transaction commits and run by beat every minute, so a delivery whose queueing failed
(the broker was down) or whose sender died is sent on the next run."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.send_deliveries")
def send_deliveries() -> dict[str, int]:
    return services.deliveries_send()


def queue_sending() -> None:
    """Registered with ``services.on_deliveries_made``: runs after the transaction commits."""
    try:
        send_deliveries.delay()
    except Exception:  # the broker is down: the periodic scan sends them when it is back
        logger.warning("notifications: could not queue sending; the next scan will", exc_info=True)
