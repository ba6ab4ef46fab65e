from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(name="core.tasks.heartbeat")
def heartbeat() -> None:
    """Beat → worker round trip; the administrator's home page shows when it last ran."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
