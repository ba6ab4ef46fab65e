"""The reminder scan at province scale: the app's query against a hand-written one.

On the province of ``bench.dataset`` (PostgreSQL), inside one transaction that is rolled back at the
end (the dataset is left as it was): the open deadlines are brought to ``OPEN_DEADLINES`` (1,000,000)
by copying the province's open ones under another key, and each open deadline gets its two pending
reminders (7 and 1 days before its last day, to one person), their days spread over the year around
today so that about one in a hundred is due, as after a few hours without a scan. Then the scan's
query, as ``deadlines.reminders.reminders_send_due`` runs it (``scan_batch``: the due reminders in
order, locked with ``SKIP LOCKED``, as plain rows with the columns it reads of the deadline and its rule,
a batch of ``BATCH``), is timed against the same statement written by hand. Both run 20 times,
alternating; the figures are medians, in seconds. The rows must agree, or the benchmark fails.

Figures: ``reminder_scan_s``, ``reminder_scan_sql_s``, ``reminder_scan_ratio`` (target ≤ 1.5, and the
scan ≤ 1 s), ``reminders_pending`` and ``reminders_due`` (the volumes).

The remedy scan (``deadlines.remedies.remedies_open_missed``, hourly) is timed the same way over the
same million open deadlines: its batch query (the missed clocks of the rules that name a problem, with
no remedy task yet) against the statement by hand, first with none of them having a task (its first
run), then with every one having one (every run after: it finds nothing, and must not read much to
say so). Figures: ``remedy_scan_s``, ``remedy_scan_sql_s``, ``remedy_scan_idle_s``,
``remedy_scan_idle_sql_s``, and ``remedies_missed`` (the volume).

    python bench/bench_reminders.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPEN_DEADLINES = 1_000_000
RUNS = 20

# The due reminders with what the scan reads of each (``deadlines.reminders.SCAN_FIELDS``): the reminder,
# its deadline and the rule.
SQL = """
SELECT r.id, r.recipient_id, d.status, d.due_on, d.subject_type_id, d.subject_id,
       ru.code, ru.label_zh, ru.label_en, ru.law, ru.article
FROM deadlines_reminder r
JOIN deadlines_deadline d ON d.id = r.deadline_id
JOIN deadlines_deadlinerule ru ON ru.id = d.rule_id
WHERE r.status = 'pending' AND r.remind_on <= %(today)s
ORDER BY r.remind_on, r.id
LIMIT %(batch)s
FOR UPDATE OF r SKIP LOCKED
"""

# The missed clocks without a remedy task, with what the remedy scan reads of each.
REMEDY_SQL = """
SELECT d.*, ru.*, o.*, u.*, rg.*
FROM deadlines_deadline d
JOIN deadlines_deadlinerule ru ON ru.id = d.rule_id
JOIN core_organisation o ON o.id = d.responsible_organisation_id
LEFT JOIN core_user u ON u.id = d.responsible_person_id
JOIN core_region rg ON rg.id = d.region_id
WHERE ((d.status = 'open' AND d.due_on < %(today)s) OR d.status = 'missed')
  AND ru.missed_problem > ''
  AND NOT EXISTS (SELECT 1 FROM deadlines_remedy m WHERE m.deadline_id = d.id)
ORDER BY d.due_on, d.id
LIMIT %(batch)s
FOR UPDATE OF d SKIP LOCKED
"""


def _child() -> dict[str, float]:
    import django

    django.setup()
    from django.db import connection, transaction

    from core import workdays
    from deadlines.remedies import BATCH as REMEDY_BATCH
    from deadlines.remedies import missed_without_remedy
    from deadlines.reminders import BATCH, scan_batch

    today = workdays.today()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM deadlines_deadline WHERE status = 'open'")
            open_now = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'deadlines_deadline'"
                " AND table_schema = current_schema() AND column_name NOT IN ('id', 'key') ORDER BY ordinal_position"
            )
            columns = ", ".join(row[0] for row in cursor.fetchall())
            copies = max(OPEN_DEADLINES - open_now, 0)
            # Copies of the open deadlines under keys of their own, as many rounds as it takes.
            cursor.execute(
                f"INSERT INTO deadlines_deadline ({columns}, key)"
                f" SELECT {columns}, 'bench-' || n FROM ("
                f"   SELECT d.*, row_number() OVER () AS n FROM deadlines_deadline d"
                f"   CROSS JOIN generate_series(1, %(rounds)s) g WHERE d.status = 'open'"
                f" ) c WHERE n <= %(copies)s",
                {"rounds": copies // max(open_now, 1) + 1, "copies": copies},
            )
            cursor.execute("SELECT id FROM core_user WHERE is_active ORDER BY id LIMIT 1")
            person = cursor.fetchone()[0]
            # Two reminders a deadline; their days spread over a year around today, one in a hundred due.
            cursor.execute(
                "INSERT INTO deadlines_reminder (deadline_id, offset_days, recipient_id, remind_on, due_on, status)"
                " SELECT d.id, o, %(person)s,"
                "   CASE WHEN (d.id + o) %% 100 = 0 THEN %(today)s::date - ((d.id %% 30)::int)"
                "        ELSE %(today)s::date + 1 + ((d.id * 7 + o) %% 365)::int END,"
                "   d.due_on, 'pending'"
                " FROM deadlines_deadline d CROSS JOIN (VALUES (7), (1)) AS offsets(o) WHERE d.status = 'open'",
                {"person": person, "today": today},
            )
            cursor.execute("ANALYZE deadlines_reminder")
            cursor.execute("SELECT count(*) FROM deadlines_reminder WHERE status = 'pending'")
            pending = int(cursor.fetchone()[0])
            cursor.execute(
                "SELECT count(*) FROM deadlines_reminder WHERE status = 'pending' AND remind_on <= %s",
                [today],
            )
            due = int(cursor.fetchone()[0])

        def app() -> list[int]:
            with transaction.atomic():  # a savepoint: the locks are the scan's, as in its own transaction
                return [r.pk for r in scan_batch(today, BATCH)]  # the rows the scan works from

        def sql() -> list[int]:
            # Each batch is a transaction of its own, by hand as in the app: here a savepoint, both sides.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(SQL, {"today": today, "batch": BATCH})
                return [row[0] for row in cursor.fetchall()]

        def remedy_app() -> list[int]:
            with transaction.atomic():
                batch = (
                    missed_without_remedy(today)
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("rule", "responsible_organisation", "responsible_person", "region")
                    .order_by("due_on", "pk")[:REMEDY_BATCH]
                )
                return [d.pk for d in batch]

        def remedy_sql() -> list[int]:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(REMEDY_SQL, {"today": today, "batch": REMEDY_BATCH})
                return [row[0] for row in cursor.fetchall()]

        if app() != sql():
            raise SystemExit("the app's scan and the SQL read different reminders")
        if remedy_app() != remedy_sql():
            raise SystemExit("the app's remedy scan and the SQL read different deadlines")
        # Each pair on its own: a remedy scan between two reminder scans would empty the cache for the
        # one run after it.
        timings = _time({"app": app, "sql": sql})
        timings.update(_time({"remedy": remedy_app, "remedy_sql": remedy_sql}))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM ("
                + REMEDY_SQL.replace("LIMIT %(batch)s", "").replace("FOR UPDATE OF d SKIP LOCKED", "")
                + ") m",
                {"today": today},
            )
            missed = int(cursor.fetchone()[0])
            # Every missed clock has its task now: the scans after the first find nothing.
            cursor.execute(
                "INSERT INTO deadlines_remedy (deadline_id, organisation_id, region_id, problem, missed_on,"
                " opened_at, status, measures) SELECT d.id, d.responsible_organisation_id, d.region_id,"
                " ru.missed_problem, d.due_on, now(), 'open', '' FROM deadlines_deadline d"
                " JOIN deadlines_deadlinerule ru ON ru.id = d.rule_id"
                " WHERE ((d.status = 'open' AND d.due_on < %(today)s) OR d.status = 'missed')"
                " AND ru.missed_problem > ''",
                {"today": today},
            )
            cursor.execute("ANALYZE deadlines_remedy")
        if remedy_app() or remedy_sql():
            raise SystemExit("the remedy scan found work after every missed clock had its task")
        timings.update(_time({"remedy_idle": remedy_app, "remedy_idle_sql": remedy_sql}))
        transaction.set_rollback(True)  # the dataset stays as it was built
    median = {name: round(statistics.median(values), 4) for name, values in timings.items()}
    return {
        "reminder_scan_s": median["app"],
        "reminder_scan_sql_s": median["sql"],
        "reminder_scan_ratio": round(median["app"] / median["sql"], 2),
        "reminders_pending": float(pending),
        "reminders_due": float(due),
        "remedy_scan_s": median["remedy"],
        "remedy_scan_sql_s": median["remedy_sql"],
        "remedy_scan_idle_s": median["remedy_idle"],
        "remedy_scan_idle_sql_s": median["remedy_idle_sql"],
        "remedies_missed": float(missed),
    }


def _time(runs: dict[str, Callable[[], list[int]]]) -> dict[str, list[float]]:
    """Each of ``runs`` ``RUNS`` times, alternating; the seconds of each run."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(RUNS):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    return timings


def run() -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from bench.dataset import _child_env, ensure_dataset

    info = ensure_dataset()
    child = subprocess.run(
        [sys.executable, __file__, "--child"],
        env=_child_env(info.database),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


if __name__ == "__main__" and "--child" in sys.argv:
    print(json.dumps(_child()))
elif __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
