"""The reminder loop with real processes (PostgreSQL, Redis, Celery): a worker killed mid-batch with
SIGKILL, and a broker stopped mid-run, lose nothing and send nothing twice.

Each test starts its own Redis (a free port: the suite's Redis is not touched) and a Celery worker
process on the test database, sends it the beat's jobs as beat would, and reads the outcome from the
database: the reminders' states and the notifications made (one per reminder, by its unique key), and
the e-mails the worker printed (Django's console backend), one per delivery."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from kombu.exceptions import OperationalError

from core import workdays
from core.roles import Role
from deadlines.models import Reminder, ReminderStatus
from disputes.choices import CaseKind, Source
from disputes.clocks import case_deadlines
from notifications import services as notifications
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.concurrency import POSTGRES_ONLY
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act
from tests.factories import user_with_role

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    *POSTGRES_ONLY,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server to start a broker"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Broker:
    """A Redis of the test's own, stopped and started at will on one port."""

    def __init__(self, tmp: Path) -> None:
        self.port = _free_port()
        self.tmp = tmp
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers(self.port), "Redis to start")

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Worker:
    """``celery worker`` on the test database and the given broker: one process (solo pool), the
    production task settings (late acknowledgement), Django's console e-mail backend."""

    def __init__(self, broker: Broker, log: Path) -> None:
        self.broker, self.log = broker, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": self.broker.url,
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "DEBUG": "false",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-n", f"w{self.broker.port}@%h"],
            cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def emails(self) -> int:
        return sum(line.startswith(b"Subject: ") for line in self.log.read_bytes().splitlines())


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 90.0, every: float = 0.02) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def beat(broker: Broker, *tasks: str) -> None:
    """What beat does on its schedule: put the scan jobs on the queue."""
    app = Celery(broker=broker.url, set_as_current=False)  # the test process keeps its own (eager) app
    for task in tasks:
        app.send_task(task)
    app.close()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[tuple[Broker, Worker]]:
    broker = Broker(tmp_path)
    broker.start()
    worker = Worker(broker, tmp_path / "worker.log")
    worker.start()
    yield broker, worker
    worker.stop()
    if broker.process is not None:
        broker.stop()


def due_reminders(people: int, per_person: int, *, email: bool = False) -> int:
    """``people`` liaisons of a case's agency, each with ``per_person`` reminders due today of the case's
    reply deadline; returns how many."""
    c = County()
    case = c.register(
        kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=workdays.today()
    )
    act(case, "accept", c.clerk, accepted_on=workdays.today().isoformat())
    reply = case_deadlines().get(subject_id=case.pk, rule__code="recon_reply")
    liaisons = [
        user_with_role(
            Role.AGENCY_LIAISON, organisation=c.agency, email=f"l{i}@example.gov.cn" if email else ""
        )
        for i in range(people)
    ]
    Reminder.objects.all().delete()
    Reminder.objects.bulk_create(
        Reminder(
            deadline=reply,
            offset_days=offset,
            recipient=person,
            remind_on=workdays.today(),
            due_on=reply.due_on,
        )
        for offset in range(1, per_person + 1)
        for person in liaisons
    )
    return people * per_person


def sent() -> int:
    return Reminder.objects.filter(status=ReminderStatus.SENT).count()


def in_a_transaction_elsewhere() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return bool(cursor.fetchone()[0])


def test_a_worker_killed_mid_batch_loses_nothing_and_its_successor_sends_each_remaining_reminder_once(
    processes,
):
    broker, worker = processes
    total = due_reminders(people=15, per_person=200)  # 3,000 due: 15 batches of 200
    beat(broker, "deadlines.tasks.send_reminders")
    # Kill it (SIGKILL: no clean-up) while a batch is open, after at least one has committed.
    wait_for(lambda: sent() >= 200 and in_a_transaction_elsewhere(), "the worker to be mid-batch")
    worker.kill()
    wait_for(lambda: not in_a_transaction_elsewhere(), "PostgreSQL to roll the killed batch back")
    done_before = sent()
    assert 200 <= done_before < total and done_before % 200 == 0  # whole batches only
    assert Notification.objects.count() == done_before  # the open batch left nothing behind

    worker.start()
    beat(broker, "deadlines.tasks.send_reminders")  # beat's next run
    wait_for(lambda: sent() == total, "the remaining reminders", timeout=180, every=0.2)
    assert Notification.objects.count() == total
    assert Notification.objects.values("key").distinct().count() == total  # one per reminder


def test_with_the_broker_down_nothing_is_lost_and_the_backlog_clears_when_it_returns(processes, monkeypatch):
    broker, worker = processes
    total = due_reminders(people=10, per_person=5, email=True)  # 50 reminders, each told by e-mail too
    broker.stop()
    # Beat cannot queue its jobs now; what waits is in the database, not in the broker.
    with pytest.raises(OperationalError):
        beat(broker, "deadlines.tasks.send_reminders")
    # Meanwhile the application goes on: a notification made now is not queued for sending (the
    # queueing after commit fails and is logged, tests/notifications), its delivery waits.
    monkeypatch.setattr(notifications, "_senders", [])
    extra = user_with_role(Role.CENTRE_CLERK, email="clerk@example.gov.cn")
    notifications.notify(recipients=[extra], kind="test", key="while-down", title="代办事项", url="/")
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 1
    time.sleep(2)  # the broker stays down a while; the worker keeps trying to reconnect

    broker.start()
    beat(broker, "deadlines.tasks.send_reminders")
    wait_for(lambda: sent() == total, "the reminders after the broker returned", timeout=120, every=0.2)
    beat(broker, "notifications.tasks.send_deliveries")
    wait_for(
        lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(),
        "the deliveries",
        timeout=60,
    )
    assert Notification.objects.count() == total + 1
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == total + 1
    wait_for(lambda: worker.emails() == total + 1, "the e-mails", timeout=10)
    time.sleep(1)
    assert worker.emails() == total + 1  # each once
