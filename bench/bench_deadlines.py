"""The home page's overdue count at province scale: the app's code against a hand-written SQL count.

On the province of ``bench.dataset`` (1,000,000 cases and their stored deadlines, PostgreSQL), as the
county clerk of the busiest county: ``disputes.selectors.overdue_count`` (what the home page runs for
its overdue panel: the clerk's cases whose earliest running last day has passed; the reach's region
subtree is read on each call, the user's roles are loaded once, as a request's user has them) against
hand-written SQL that counts the same cases on the same column (``Dispute.next_due_on``), after reading
the subtree's ids as the app does (two statements each). Both run warm, 30 times each, alternating; the figures are medians.
The counts must agree with each other and with a third count taken straight from the stored deadlines
(the clerk's cases with an open deadline past its last day), or the benchmark fails: the column the
pages read is checked against the deadlines it summarises, on a million cases.

Figures: ``overdue_count_ms``, ``overdue_count_sql_ms``, ``overdue_count_ratio`` (target ≤ 1.5) and
``overdue_cases`` (the count itself, so a run on other data is recognisable).

The measurement runs in a child interpreter pointed at the dataset's database, as the dataset build
does, so ``make bench``'s own process stays set up for the test database.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 30

# What one would write by hand knowing the schema: the county's cases whose earliest last day has passed
# (a partial index holds the region and that day of the cases with a running clock).
SQL = """
SELECT count(*)
FROM disputes_dispute d
WHERE d.region_id = ANY(%(regions)s) AND d.next_due_on < %(today)s
"""

# The same cases found from the stored deadlines themselves: the check that the column is in step.
FROM_DEADLINES = """
SELECT count(*)
FROM disputes_dispute d
WHERE d.region_id = ANY(%(regions)s)
  AND EXISTS (
    SELECT 1 FROM deadlines_deadline x
    WHERE x.subject_type_id = %(case_type)s AND x.subject_id = d.id
      AND x.status = 'open' AND x.due_on < %(today)s AND x.region_id = ANY(%(regions)s)
  )
"""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _child() -> dict[str, float]:
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from core import workdays
    from core.models import Region, User
    from disputes.models import Dispute
    from disputes.selectors import overdue_count

    info = json.loads(sys.argv[-1])
    clerk = User.objects.select_related("organisation__region").get(pk=info["county_clerk_id"])
    assert clerk.organisation is not None  # the dataset gives every clerk a centre
    subtree = Region.objects.filter(path__startswith=clerk.organisation.region.path)
    params: dict[str, Any] = {
        "regions": list(subtree.values_list("pk", flat=True)),
        "case_type": ContentType.objects.get_for_model(Dispute).pk,
        "today": workdays.today(),
    }

    clerk.role_codes  # noqa: B018 - loaded once, as the request's user has them before the page's code runs

    def app() -> int:
        # The reach's region subtree is read per request: dropped so that each call reads it again.
        clerk.__dict__.pop("_reach_region_ids", None)
        return overdue_count(user=clerk)

    path = clerk.organisation.region.path

    def sql() -> int:
        # The same two steps the app takes: the subtree's ids (literals help the planner), then the count.
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM core_region WHERE path LIKE %s ORDER BY id", [f"{path}%"])
            regions = [row[0] for row in cursor.fetchall()]
            cursor.execute(SQL, {**params, "regions": regions})
            return int(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        cursor.execute(FROM_DEADLINES, params)
        from_deadlines = int(cursor.fetchone()[0])
    app(), sql()  # warm: plans, caches, the content type
    timings: dict[str, list[float]] = {"app": [], "sql": []}
    answers = set()
    for _ in range(RUNS):
        for name, run in (("app", app), ("sql", sql)):
            start = time.perf_counter()
            answers.add((name, run()))
            timings[name].append(time.perf_counter() - start)
    counts = {count for _, count in answers} | {from_deadlines}
    if len(counts) != 1:
        raise SystemExit(
            f"the app, the SQL and the deadlines count different cases: {sorted(answers)}, {from_deadlines}"
        )
    app_ms, sql_ms = (_ms(statistics.median(timings[name])) for name in ("app", "sql"))
    return {
        "overdue_count_ms": app_ms,
        "overdue_count_sql_ms": sql_ms,
        "overdue_count_ratio": round(app_ms / sql_ms, 2),
        "overdue_cases": float(counts.pop()),
    }


def run() -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from bench.dataset import _child_env, ensure_dataset

    info = ensure_dataset()
    child = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps({"county_clerk_id": info.county_clerk_id})],
        env=_child_env(info.database),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__" and "--child" in sys.argv:
    print(json.dumps(_child()))
