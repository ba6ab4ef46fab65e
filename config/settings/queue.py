"""Celery. With ``REDIS_URL`` the broker is Redis; without it a filesystem broker under ``var/celery``
so that ``make run`` has a real worker and beat (reminders really scheduled) with nothing else installed."""

from .database import REDIS_URL
from .env import BASE_DIR, env

_queue_dir = BASE_DIR / "var" / "celery"

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        # kombu's default is ./control, relative to wherever the process starts: keep it under var/.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task interrupted mid-way is redelivered; tasks are written to be re-run
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
_queue_dir.mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(_queue_dir / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Beat entries are few scan-type jobs, never one per deadline.
    "heartbeat": {"task": "core.tasks.heartbeat", "schedule": 60.0},
    # Reminders of deadlines whose day has come (one indexed query; each claimed, sent once).
    "send-reminders": {"task": "deadlines.tasks.send_reminders", "schedule": 300.0},
    # Remedy tasks open the morning after a missed last day; hourly is soon enough and cheap.
    "open-remedies": {"task": "deadlines.tasks.open_remedies", "schedule": 3600.0},
    # What waits on e-mail or SMS (queued on commit too; this catches a failed queueing or a dead sender).
    "send-deliveries": {"task": "notifications.tasks.send_deliveries", "schedule": 60.0},
    # Bulletins (通报) of the periods that closed yesterday; builds nothing on other days or twice.
    "build-bulletins": {"task": "reports.tasks.build_due_bulletins", "schedule": 3600.0},
    # The dashboards most opened, read ahead of their readers (kept REPORTS_CACHE_SECONDS).
    "warm-dashboards": {"task": "reports.tasks.warm_dashboards", "schedule": 540.0},
}
