"""Helpers for tests of people acting at the same moment, on a real database server.

SQLite serialises every write transaction of the whole database (transactions begin IMMEDIATE), so
these races cannot happen there and cannot be shown there: such tests run on PostgreSQL only. Each
thread has its own connection and closes it at the end; the test database is really committed to
(``transaction=True``), so the threads see each other's work. (tests/conftest.py puts back the
holiday calendar that the flush after a transactional test removes.)
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

POSTGRES_ONLY = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency needs a database server: SQLite runs one write transaction at a time. "
        "Run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(*jobs):
    """Start every job at the same moment (a barrier), each on its own thread and connection; return
    each job's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread raised
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results
