"""The four-100% table at province scale: the app's code against one hand-written SQL query.

On the province of ``bench.dataset`` (1,000,000 cases with their hearings, legal aid and follow-up visits,
PostgreSQL), as the province centre's clerk (every case of the province in reach), for the last whole
calendar year: ``reports.metrics.figure_table`` over the four 100% (what the dashboard runs: one
``GROUP BY`` per figure, every agency of the province) against one query written by hand from the
definitions (the four units in a ``UNION ALL``, grouped by figure and agency). Both run warm, 7 times
each, alternating; the figures are medians. The two must give the same numerator and denominator for
every figure and agency.

Figures: ``report_four100_ms`` (target ≤ 1,000), ``report_four100_sql_ms``, ``report_ratio`` (target
≤ 1.5), ``report_numbers_match`` (true or false) and ``report_units`` (the units counted, so a run on
other data is recognisable).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7

SQL = """
SELECT code, agency, count(*) FILTER (WHERE den AND num), count(*) FILTER (WHERE den)
FROM (
  SELECT 'pushed_rate' AS code, d.respondent_id AS agency, d.consent = 'given' AS num,
         d.consent <> 'refused' AS den
  FROM disputes_dispute d
  WHERE d.source = 'court_push' AND d.received_on BETWEEN %(first)s AND %(last)s
    AND d.region_id = ANY(%(regions)s)
  UNION ALL
  SELECT 'hearing_head_rate', d.respondent_id, a.attended IN ('principal', 'deputy'), true
  FROM hearings_hearing h
  JOIN disputes_dispute d ON d.id = h.dispute_id
  JOIN LATERAL (SELECT x.attended FROM hearings_attendance x WHERE x.hearing_id = h.id
                ORDER BY x.recorded_at DESC, x.id DESC LIMIT 1) a ON true
  WHERE h.kind = 'recon_hearing' AND h.scheduled_at >= %(start)s AND h.scheduled_at < %(end)s
    AND d.region_id = ANY(%(regions)s)
  UNION ALL
  SELECT 'legal_aid_coverage', d.respondent_id,
         EXISTS (SELECT 1 FROM legal_aid_assignment g WHERE g.application_id = p.id),
         p.status IN ('granted', 'assigned', 'ended') OR (p.status = 'received' AND s.result = 'eligible')
  FROM legal_aid_application p
  JOIN disputes_dispute d ON d.id = p.dispute_id
  LEFT JOIN LATERAL (SELECT y.result FROM legal_aid_screening y WHERE y.party_id = p.party_id
                     ORDER BY y.screened_at DESC, y.id DESC LIMIT 1) s ON true
  WHERE p.received_on BETWEEN %(first)s AND %(last)s AND d.region_id = ANY(%(regions)s)
  UNION ALL
  SELECT 'followup_rate', d.respondent_id, coalesce(v.done, false),
         coalesce(v.done, false) OR v.first_due <= %(today)s
  FROM disputes_disputeevent e
  JOIN disputes_dispute d ON d.id = e.dispute_id
  JOIN LATERAL (SELECT bool_or(z.status = 'done') AS done,
                       coalesce(min(z.due_on) FILTER (WHERE z.follows_id IS NULL), min(z.due_on)) AS first_due
                FROM followups_visit z WHERE z.decision_event_id = e.id AND z.status <> 'cancelled') v ON true
  WHERE e.action = 'decide' AND e.at >= %(start)s AND e.at < %(end)s AND d.region_id = ANY(%(regions)s)
) u
GROUP BY code, agency
"""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _child() -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from core import workdays
    from core.models import User
    from reports.metrics import FOUR, Scope, figure_table

    info = json.loads(sys.argv[-1])
    clerk = User.objects.select_related("organisation__region").get(pk=info["province_clerk_id"])
    assert clerk.organisation is not None  # the dataset gives every clerk a centre
    year = date.fromisoformat(info["today"]).year - 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    clerk.role_codes  # noqa: B018 - loaded once, as the request's user has them before the page's code runs
    path = clerk.organisation.region.path

    def app() -> dict[tuple[str, int], tuple[int, int]]:
        clerk.__dict__.pop("_reach_region_ids", None)  # the reach's subtree is read per request
        table = figure_table(Scope(clerk, first, last), FOUR)
        return {
            (code, agency): (counts.numerator, counts.denominator)
            for agency, parts in table.agencies.items()
            for code, counts in parts.items()
            if counts.denominator or counts.numerator
        }

    def sql() -> dict[tuple[str, int], tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM core_region WHERE path LIKE %s ORDER BY id", [f"{path}%"])
            regions = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                SQL,
                {
                    "regions": regions,
                    "first": first,
                    "last": last,
                    "start": datetime.combine(first, clock.min, tzinfo=workdays.SHANGHAI),
                    "end": datetime.combine(last + timedelta(days=1), clock.min, tzinfo=workdays.SHANGHAI),
                    "today": workdays.today(),
                },
            )
            return {(code, agency): (num, den) for code, agency, num, den in cursor.fetchall() if num or den}

    app(), sql()  # warm: plans and caches
    timings: dict[str, list[float]] = {"app": [], "sql": []}
    answers: dict[str, Any] = {}
    for _ in range(RUNS):
        for name, run in (("app", app), ("sql", sql)):
            start = time.perf_counter()
            answers[name] = run()
            timings[name].append(time.perf_counter() - start)
    match = answers["app"] == answers["sql"]
    if not match:
        differ = sorted(k for k in set(answers["app"]) | set(answers["sql"])
                        if answers["app"].get(k) != answers["sql"].get(k))[:10]  # fmt: skip
        print(f"report numbers differ, e.g. {[(k, answers['app'].get(k), answers['sql'].get(k)) for k in differ]}",
              file=sys.stderr)  # fmt: skip
    app_ms, sql_ms = (_ms(statistics.median(timings[name])) for name in ("app", "sql"))
    return {
        "report_four100_ms": app_ms,
        "report_four100_sql_ms": sql_ms,
        "report_ratio": round(app_ms / sql_ms, 2),
        "report_numbers_match": "true" if match else "false",
        "report_units": float(sum(den for _num, den in answers["sql"].values())),
    }


def run() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bench.dataset import _child_env, ensure_dataset

    info = ensure_dataset()
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            json.dumps({"province_clerk_id": info.province_clerk_id, "today": info.today}),
        ],  # fmt: skip
        env=_child_env(info.database),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__" and "--child" in sys.argv:
    print(json.dumps(_child()))
