"""The pages under load: gunicorn with the production settings, concurrent clients, server-side p95s.

On the province of ``bench.dataset`` (1,000,000 cases, PostgreSQL), gunicorn serves ``config.wsgi`` with
``config.settings.production`` and ``config/gunicorn.conf.py`` (its worker count: 3 unless
``WEB_CONCURRENCY``) on a free loopback port, its access log in a temporary file with each request's
server-side duration (``%(D)s``, microseconds) and two headers the clients send: the page and the user.
``BENCH_CLIENTS`` clients (default 20; threads, one ``http.client`` connection each; the sync workers
close it after each answer and the client opens it again) are shared out in turn among the three
users of the dataset: the busiest county's clerk (152,565 cases), the liaison of the agency with the
most cases, and the province clerk (every case). Together they load one page for ``BENCH_SECONDS``
(default 60), then the next one:

===================  ===============================================================================
figure prefix         page
===================  ===============================================================================
``case_list``         ``/disputes/``: the first page of the case list (25 rows, newest received first)
``case_list_deep``    ``/disputes/?page=500`` (or the user's last page when it has fewer)
``case_overdue``      ``/disputes/?overdue=yes``
``case_search``       ``/disputes/?q=补偿`` (a word of the act summaries and claims: about 19 % of cases)
``case_detail``       ``/disputes/<id>/``, among 50 random cases each user reaches
``home``              ``/``, the panels' counts
``export``            ``/disputes/export.xlsx?stage=open&received_from=…``: the open cases received
                      since the first of the month that keeps the province clerk's export within the
                      export limit (10,000 rows), the same filter for everyone
``api_list``          ``/api/disputes/``: the first page of the API's list (50 rows)
``dashboard``         ``/reports/``: the reports dashboard for this year (every figure and last year's,
                      by agency and region, the trends, the early warning); the county and province
                      clerks only (an agency's liaison reads no reports)
===================  ===============================================================================

Figures: ``<page>_p95_ms``, the 95th percentile (nearest rank) of the server-side durations of the
page's successful answers, all three users together (each user's p95 goes to stderr); ``http_errors``,
the answers that are not 2xx (a redirect counts: none of these pages redirects when it works, the
login page's redirect and the export's "too many rows" one included) and the requests that got no
answer; ``web_worker_rss_mb``, the highest peak resident size (``VmHWM``) among the workers at the end.

Beside each list, ``<page>_sql_ms``: the statement an expert would write by hand for the same rows
(the page's 25, or the API's 50, with what a row shows: respondent, centre, region, applicants and
the overdue flag; the export's every row; the home page's counts), timed in a child interpreter on
the same database before the server starts: the median of 10 runs per user, the figure the slowest
user's. The statements use what the schema offers (the case's earliest running last day for
"overdue", the stored search vector, an agency's reach as its respondent column). The rows (and
counts) are checked against the app's selectors, or the benchmark fails. The list's page count (the
paginator's ``COUNT``) is not part of the statement.

``<page>_app_ms``: the same rows read through the app's code, timed the same way: the selector, the
paginator's reading of a page (keys first beyond ``DEFERRED_FROM`` rows) and what each row shows (the
prefetched applicants, the joined respondent), the export's rows as the ledger gets them, the home
page's ``home_counts``. ``<page>_app_ratio`` is that over the SQL: the target, each list within 2×.
``<page>_app_db_ms`` is the part of it the app's statements spent in the database (all of them: the
reach's regions, the page, the prefetched applicants), ``<page>_app_db_ratio`` that over the SQL: what
the list's query pattern costs against the expert's, without Python's fixed few milliseconds a page
(compiling the query, building 25 objects), which dominate a 2 ms statement.
``<page>_ratio`` is the page's p95 under load over the SQL: for a statement of 2 ms it is mostly the
page's fixed cost (session, template, three workers sharing two cores).

Logging in: the production settings keep Django's default password hashers, which do not verify the
dataset's MD5 hashes (made with the test settings). So the users are not given new passwords: the
child creates one session per user in the database (``SessionStore``, as ``login()`` fills it, signed
with the server's ``SECRET_KEY``), the clients send its cookie (the API list takes the session too),
and the sessions are deleted at the end. The production storage of static files needs the manifest
``collectstatic`` writes (``var/static``, as the Docker image is built): collected once when missing.

Environment: ``BENCH_CLIENTS``, ``BENCH_SECONDS``, ``BENCH_PAGES`` (comma-separated page names, all by
default), ``BENCH_CASES``/``BENCH_DATABASE`` (another province: for a quick run on a small one).

    python bench/bench_http.py          # prints the figures; progress on stderr
"""

from __future__ import annotations

import functools
import http.client
import json
import math
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SQL_RUNS = 10
SEARCH_TERM = "补偿"
DEEP_PAGE = 500
LIST_PAGE_SIZE = 25  # disputes.views_list.PAGE_SIZE
API_PAGE_SIZE = 50  # REST_FRAMEWORK["PAGE_SIZE"]
EXPORT_LIMIT = 10_000  # disputes.views_list.EXPORT_LIMIT
DETAIL_IDS = 50
WARM_UP = 3  # requests per page and user before the load, not counted
USERS = ("clerk", "liaison", "province")
PAGES = (
    "case_list",
    "case_list_deep",
    "case_overdue",
    "case_search",
    "case_detail",
    "home",
    "export",
    "api_list",
    "dashboard",
)
# The pages some users may not open (an agency's liaison reads no reports): asked for by the others only.
PAGE_USERS = {"dashboard": ("clerk", "province")}
SQL_PAGES = ("case_list", "case_list_deep", "case_overdue", "case_search", "home", "export", "api_list")
# The access log: status, microseconds, then the two headers the clients send, then the request line.
ACCESS_LOG_FORMAT = '%(s)s %(D)s %({x-bench-page}i)s %({x-bench-user}i)s "%(r)s"'


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- figures from the access log ----------------------------------------------------------------------


def p95(values: Iterable[float]) -> float:
    """The 95th percentile by nearest rank: the smallest value at least 95 % of the values are not above."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


@dataclass(frozen=True)
class Logged:
    status: int
    ms: float
    page: str
    user: str


def parse_access_log(lines: Iterable[str]) -> list[Logged]:
    """The benchmark's requests in gunicorn's access log (``ACCESS_LOG_FORMAT``); others are skipped."""
    found = []
    for line in lines:
        parts = line.split(maxsplit=4)
        if len(parts) < 4 or parts[2] not in PAGES or not parts[0].isdigit() or not parts[1].isdigit():
            continue
        found.append(Logged(status=int(parts[0]), ms=int(parts[1]) / 1000, page=parts[2], user=parts[3]))
    return found


def page_figures(logged: list[Logged], pages: Iterable[str]) -> tuple[dict[str, float], list[str]]:
    """``<page>_p95_ms`` over the successful answers of every user, and a line per page and user."""
    figures: dict[str, float] = {}
    notes = []
    for page in pages:
        ok = [r for r in logged if r.page == page and 200 <= r.status < 300]
        figures[f"{page}_p95_ms"] = round(p95(r.ms for r in ok), 1)
        for user in USERS:
            mine = [r.ms for r in ok if r.user == user]
            median = round(statistics.median(mine), 1) if mine else math.nan
            notes.append(
                f"{page} {user}: p95 {round(p95(mine), 1)} ms, median {median} ms, {len(mine)} answers"
            )
    return figures, notes


# --- the load ------------------------------------------------------------------------------------------


@dataclass
class Target:
    """What the clients need to know: the server and, per user, the session and the pages' variables."""

    port: int
    sessions: dict[str, str]
    deep_page: dict[str, int]
    detail_ids: dict[str, list[int]]
    export_query: str

    def url(self, page: str, user: str, rng: random.Random) -> str:
        if page == "case_list":
            return "/disputes/"
        if page == "case_list_deep":
            return f"/disputes/?page={self.deep_page[user]}"
        if page == "case_overdue":
            return "/disputes/?overdue=yes"
        if page == "case_search":
            return f"/disputes/?q={quote(SEARCH_TERM)}"
        if page == "case_detail":
            return f"/disputes/{rng.choice(self.detail_ids[user])}/"
        if page == "home":
            return "/"
        if page == "export":
            return f"/disputes/export.xlsx?{self.export_query}"
        if page == "api_list":
            return "/api/disputes/"
        if page == "dashboard":
            return "/reports/"
        raise ValueError(page)


@dataclass
class Tally:
    """What the clients saw: answers by status, the failures (a redirect, an error, no answer)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, page: str, user: str, seconds: float, failure: str | None) -> None:
        with self.lock:
            if failure is None:
                self.answers[(page, user)].append(seconds)
            else:
                self.failures[f"{page} {user}: {failure}"] += 1

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


def _client(target: Target, page: str, user: str, until: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    headers = {
        "Cookie": f"sessionid={target.sessions[user]}",
        "X-Bench-Page": page,
        "X-Bench-User": user,
        "Accept-Language": "zh-hans",
    }
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=300)
    try:
        while time.monotonic() < until:
            start = time.perf_counter()
            try:
                connection.request("GET", target.url(page, user, rng), headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                tally.add(page, user, 0.0, f"no answer ({exc.__class__.__name__})")
                connection.close()
                time.sleep(0.1)
                continue
            seconds = time.perf_counter() - start
            if 200 <= response.status < 300:
                tally.add(page, user, seconds, None)
            elif 300 <= response.status < 400:
                tally.add(page, user, seconds, f"{response.status} to {response.getheader('Location')}")
            else:
                tally.add(page, user, seconds, str(response.status))
    finally:
        connection.close()


def _warm(target: Target, page: str, user: str) -> None:
    # Not counted: the access log's page column says "warm-up".
    rng = random.Random(0)
    headers = {
        "Cookie": f"sessionid={target.sessions[user]}",
        "X-Bench-Page": "warm-up",
        "X-Bench-User": user,
    }
    for _ in range(WARM_UP):
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=300)
        try:
            connection.request("GET", target.url(page, user, rng), headers=headers)
            connection.getresponse().read()
        except (OSError, http.client.HTTPException) as exc:
            _log(f"http: warm-up {page} {user}: {exc!r}")
        finally:
            connection.close()


def load(target: Target, pages: Iterable[str], *, clients: int, seconds: float) -> Tally:
    """Each page in turn, ``clients`` clients for ``seconds``; the users take the clients in turn.
    First each page but the export is asked for a few times by each user, not counted: a worker's first
    requests load what it keeps (templates, translations, the calendar)."""
    pages = list(pages)
    _log("http: warm-up")
    for page in pages:
        if page == "export":
            continue
        users = PAGE_USERS.get(page, USERS)
        threads = [threading.Thread(target=_warm, args=(target, page, user), daemon=True) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    tally = Tally()
    for page in pages:
        _log(f"http: {page}, {clients} clients for {seconds:g} s")
        until = time.monotonic() + seconds
        users = PAGE_USERS.get(page, USERS)
        threads = [
            threading.Thread(
                target=_client, args=(target, page, users[i % len(users)], until, i, tally), daemon=True
            )
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done = sum(len(v) for (p, _), v in tally.answers.items() if p == page)
        _log(f"http: {page}: {done} answers, {tally.errors} failures so far")
    return tally


# --- the server ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database: str) -> dict[str, str]:
    """The production settings pointed at the dataset's database (also the child's: the same key)."""
    from bench.dataset import _child_env

    env = _child_env(database)
    env.pop("CONN_MAX_AGE", None)  # the production default (60 s), not the child's 0
    env.pop("WEB_CONCURRENCY", None)  # gunicorn.conf.py's default worker count
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """The manifest the production storage of static files reads ({% static %} fails without it)."""
    if (ROOT / "var" / "static" / "staticfiles.json").exists():
        return
    _log("http: collecting static files into var/static (the production storage needs the manifest)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    access_log: Path
    server_log: Path

    def workers(self) -> list[int]:
        """The pids of the master's children (the workers)."""
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid):
                pids.append(int(status.parent.name))
        return pids

    def worker_rss_mb(self) -> float:
        """The highest peak resident size (VmHWM) among the workers, in MB."""
        peak = 0
        for pid in self.workers():
            try:
                text = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        return round(peak / 1024, 1)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the master's own group: it and its workers
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass


def _die_with_parent() -> None:
    # In the child before gunicorn starts: should this process be killed outright (no finally), the
    # kernel sends the master SIGTERM, and it stops its workers (prctl PR_SET_PDEATHSIG, Linux).
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the server


def start_server(env: dict[str, str], workdir: Path) -> Server:
    port = _free_port()
    access_log, server_log = workdir / "access.log", workdir / "server.log"
    argv = [
        sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
        "--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT, "config.wsgi",
    ]  # fmt: skip
    with server_log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # started before any thread
        )
    server = Server(process, port, access_log, server_log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({process.returncode}):\n{server_log.read_text()[-3000:]}"
                )
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
                connection.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz:\n{server_log.read_text()[-3000:]}")
            time.sleep(0.5)
    except BaseException:
        server.stop()
        raise
    _log(f"http: gunicorn on 127.0.0.1:{port}, {len(server.workers())} workers")
    return server


# --- the run -------------------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def _delete_sessions(database_url: str, keys: Iterable[str]) -> None:
    quoted = ",".join(f"'{key}'" for key in keys if key.isalnum())
    if quoted:
        subprocess.run(
            ["psql", database_url, "-Atqc", f"DELETE FROM django_session WHERE session_key IN ({quoted})"],
            check=False,
            capture_output=True,
        )


def run() -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from bench.dataset import ensure_dataset

    clients = int(os.environ.get("BENCH_CLIENTS", "20"))
    seconds = float(os.environ.get("BENCH_SECONDS", "60"))
    wanted = os.environ.get("BENCH_PAGES", "")
    pages = [p for p in PAGES if not wanted or p in wanted.split(",")]
    kwargs: dict[str, Any] = {"cases": int(os.environ.get("BENCH_CASES", "1000000"))}
    if os.environ.get("BENCH_DATABASE"):
        kwargs["database"] = os.environ["BENCH_DATABASE"]
    info = ensure_dataset(**kwargs)
    env = server_env(info.database)
    collect_static(env)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)  # a TERM stops the server too, as Ctrl-C does

    users = {
        "clerk": info.county_clerk_id,
        "liaison": info.agency_liaison_id,
        "province": info.province_clerk_id,
    }
    _log("http: sessions, the pages' variables, and the hand-written SQL against the app's rows")
    prepared = _child(env, json.dumps({"users": users, "pages": [p for p in SQL_PAGES if p in pages]}))
    try:
        target = Target(
            port=0,
            sessions=prepared["sessions"],
            deep_page=prepared["deep_page"],
            detail_ids=prepared["detail_ids"],
            export_query=prepared["export_query"],
        )
        with tempfile.TemporaryDirectory(prefix="bench-http-") as workdir:
            server = start_server(env, Path(workdir))
            try:
                target.port = server.port
                tally = load(target, pages, clients=clients, seconds=seconds)
                rss = server.worker_rss_mb()
            finally:
                server.stop()
            logged = parse_access_log(server.access_log.read_text(errors="replace").splitlines())
            server_output = server.server_log.read_text(errors="replace")
    finally:
        _delete_sessions(info.database_url, prepared["sessions"].values())

    figures, notes = page_figures(logged, pages)
    for note in notes:
        _log(f"http: {note}")
    for name, count in sorted(tally.failures.items()):
        _log(f"http: failed: {name} × {count}")
    if any(r.status >= 500 for r in logged) or "Traceback" in server_output:
        _log("http: the server's log (last 6000 characters):\n" + server_output[-6000:])
    figures["http_errors"] = float(tally.errors)
    figures["web_worker_rss_mb"] = rss
    for page in SQL_PAGES:
        if page not in pages:
            continue
        sql_ms, app_ms = prepared["sql_ms"][page], prepared["app_ms"][page]
        figures[f"{page}_sql_ms"] = sql_ms
        app_db_ms = prepared["app_db_ms"][page]
        figures[f"{page}_app_ms"] = app_ms
        figures[f"{page}_app_ratio"] = round(app_ms / sql_ms, 2) if sql_ms else math.nan
        figures[f"{page}_app_db_ms"] = app_db_ms
        figures[f"{page}_app_db_ratio"] = round(app_db_ms / sql_ms, 2) if sql_ms else math.nan
        page_ms = figures[f"{page}_p95_ms"]
        figures[f"{page}_ratio"] = round(page_ms / sql_ms, 1) if sql_ms else math.nan
    return figures


# --- the child: sessions, the pages' variables, the hand-written SQL ----------------------------------

# The rows of a list page as an expert writes them: the page of cases first (their order, LIMIT and
# OFFSET on the case table alone), then what each row shows. {where} is the user's reach and filters.
LIST_SQL = """
WITH page AS (
    SELECT d.id, d.number, d.kind, d.source, d.status, d.matter, d.received_on, d.act_summary,
           d.status_changed_at, d.created_at, d.respondent_id, d.centre_id, d.region_id, d.next_due_on
    FROM disputes_dispute d
    WHERE {where}
    ORDER BY d.received_on DESC, d.created_at DESC, d.id DESC
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT d.*, o.name AS respondent, c.name AS centre, r.name AS region,
       (SELECT string_agg(p.name, '、' ORDER BY p.id) FROM disputes_party p
        WHERE p.dispute_id = d.id AND p.role = 'applicant') AS applicants,
       coalesce(d.next_due_on < %(today)s, false) AS overdue
FROM page d
JOIN core_organisation o ON o.id = d.respondent_id
LEFT JOIN core_organisation c ON c.id = d.centre_id
JOIN core_region r ON r.id = d.region_id
ORDER BY d.received_on DESC, d.created_at DESC, d.id DESC
"""

# A case whose earliest running last day has passed (the column the deadline services keep).
OVERDUE = "d.next_due_on < %(today)s"
SEARCH = "d.search_vector @@ to_tsquery('simple'::regconfig, %(q)s)"
MINE = "d.id IN (SELECT a.dispute_id FROM disputes_mediatorassignment a WHERE a.mediator_id = %(user)s)"
# The home page's counts: the open cases by status, the user's own by status (overdue too), the overdue.
HOME_SQL = (
    "SELECT d.status, count(*) FROM disputes_dispute d WHERE {reach} AND d.status = ANY(%(open)s)"
    " GROUP BY d.status",
    "SELECT d.status, count(*), count(*) FILTER (WHERE {overdue}) FROM disputes_dispute d"
    " WHERE {reach} AND {mine} GROUP BY d.status",
    "SELECT count(*) FROM disputes_dispute d WHERE {reach} AND {overdue}",
)


def home_counts(results: list[list[tuple]], groups: dict[str, list[str]]) -> dict[str, int]:
    """The home page's panels from ``HOME_SQL``'s three results, as ``disputes.selectors`` adds them."""
    by_status = {status: n for status, n in results[0]}
    mine = {status: (n, late) for status, n, late in results[1]}
    counts = {name: sum(by_status.get(s, 0) for s in statuses) for name, statuses in groups.items()}
    return {
        **counts,
        "overdue": results[2][0][0],
        "mine_open": sum(mine.get(s, (0, 0))[0] for s in groups["open"]),
        "mine_resolving": sum(mine.get(s, (0, 0))[0] for s in groups["resolving"]),
        "mine_overdue": sum(late for _n, late in mine.values()),
    }


CREATED_SESSIONS: list[str] = []


def _measure(run: Callable[[], Any]) -> float:
    run()  # warm: plans, caches
    timings = []
    for _ in range(SQL_RUNS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return round(statistics.median(timings) * 1000, 1)


def _measure_app(run: Callable[[], Any]) -> tuple[float, float]:
    """``run``'s median time and the median of the time its statements spent in the database (from
    sending each to having its rows), both in ms."""
    from django.db import connection

    spent: list[float] = []

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - start)

    run()  # warm: plans, caches
    totals, in_database = [], []
    with connection.execute_wrapper(timed):
        for _ in range(SQL_RUNS):
            spent.clear()
            start = time.perf_counter()
            run()
            totals.append(time.perf_counter() - start)
            in_database.append(sum(spent))
    return (
        round(statistics.median(totals) * 1000, 1),
        round(statistics.median(in_database) * 1000, 1),
    )


def _child_main() -> dict[str, Any]:  # noqa: C901 - one block per page, read top to bottom
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from core import workdays
    from core.access import ROLE_REACH, Reach, reach_regions, scoped
    from core.models import User
    from core.paginator import DEFERRED_FROM, keys_first
    from disputes import selectors
    from disputes.choices import Stage, statuses_of
    from disputes.models import Dispute
    from disputes.views_list import _export_rows

    request = json.loads(sys.argv[-1])
    today = workdays.today()
    base: dict[str, Any] = {
        "case_type": ContentType.objects.get_for_model(Dispute).pk,
        "today": today,
        "q": SEARCH_TERM,
        "resolving": [str(s) for s in selectors.RESOLVING],
        "reconsidering": [str(s) for s in selectors.RECONSIDERING],
        "litigating": [str(s) for s in statuses_of(Stage.LITIGATION)],
        "open": [str(s) for s in selectors.OPEN_STATUSES],
    }
    users = {
        name: User.objects.select_related("organisation__region").get(pk=pk)
        for name, pk in request["users"].items()
    }

    def fresh(user: User) -> User:
        # What a request has: the user and its roles, read again; the reach's regions not yet.
        user.__dict__.pop("_reach_region_ids", None)
        user.__dict__.pop("_dispute_home_counts", None)
        return user

    # The export's filter: the open cases received since the first of a month, the month chosen so that
    # the widest reach stays within the export's limit.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT received_on FROM disputes_dispute WHERE status = ANY(%s) ORDER BY received_on DESC "
            "OFFSET %s LIMIT 1",
            [base["open"], EXPORT_LIMIT - 1],
        )
        row = cursor.fetchone()
    since = date(2000, 1, 1) if row is None else row[0]
    since = date(since.year + since.month // 12, since.month % 12 + 1, 1)
    export_filters = {"stage": selectors.OPEN, "received_from": since}
    export_query = f"stage={selectors.OPEN}&received_from={since.isoformat()}"

    sessions, deep_page, detail_ids = {}, {}, {}
    sql_ms: dict[str, dict[str, float]] = defaultdict(dict)
    app_ms: dict[str, dict[str, float]] = defaultdict(dict)
    app_db_ms: dict[str, dict[str, float]] = defaultdict(dict)
    for name, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "core.auth.HuajieBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None  # create() made it
        sessions[name] = session.session_key
        CREATED_SESSIONS.append(session.session_key)

        visible = scoped(Dispute.objects.all(), fresh(user))
        total = visible.count()
        deep_page[name] = max(min(DEEP_PAGE, math.ceil(total / LIST_PAGE_SIZE)), 1)
        detail_ids[name] = list(visible.order_by("?").values_list("pk", flat=True)[:DETAIL_IDS])

        reaches = {ROLE_REACH.get(role, Reach.NONE) for role in user.role_codes} - {Reach.NONE}
        params = {**base, "user": user.pk, "org": user.organisation_id}
        if reaches == {Reach.REGION}:
            params["regions"] = reach_regions(fresh(user))
            reach = "d.region_id = ANY(%(regions)s)"
        elif reaches == {Reach.ORGANISATION}:
            reach = "d.respondent_id = %(org)s"  # an agency is never a case's court
        else:
            raise SystemExit(f"{user}: no hand-written reach for {sorted(user.role_codes)}")
        overdue = OVERDUE

        def rows(where: str, limit: int | None, offset: int, params: dict[str, Any] = params) -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute(LIST_SQL.format(where=where), {**params, "limit": limit, "offset": offset})
                return [row[0] for row in cursor.fetchall()]

        def app_rows(filters: dict[str, Any], limit: int | None, offset: int, user: User = user) -> list[int]:
            qs = selectors.dispute_list(user=fresh(user), filters=filters).values_list("pk", flat=True)
            return list(qs[offset : offset + limit] if limit is not None else qs[offset:])

        def app_page(
            page: str, filters: dict[str, Any], limit: int | None, offset: int, user: User = user
        ) -> int:
            """What the page's view reads for the same rows, through the app's code (the paginator's
            count left out, as the statement leaves it out): the rows with what each shows, or the
            export's rows as the ledger gets them."""
            qs = selectors.dispute_list(user=fresh(user), filters=filters)
            if limit is None:
                return len(list(_export_rows(qs)))
            shown = (
                keys_first(qs, offset, offset + limit)
                if offset >= DEFERRED_FROM
                else list(qs[offset : offset + limit])
            )
            return sum(len(d.applicants) + len(d.respondent.name) for d in shown)

        deep = (deep_page[name] - 1) * LIST_PAGE_SIZE
        lists: dict[str, tuple[dict[str, Any], str, int | None, int]] = {
            "case_list": ({}, reach, LIST_PAGE_SIZE, 0),
            "case_list_deep": ({}, reach, LIST_PAGE_SIZE, deep),
            "case_overdue": ({"overdue": "yes"}, f"{reach} AND {overdue}", LIST_PAGE_SIZE, 0),
            "case_search": ({"q": SEARCH_TERM}, f"{reach} AND {SEARCH}", LIST_PAGE_SIZE, 0),
            "api_list": ({}, reach, API_PAGE_SIZE, 0),
            "export": (
                export_filters,
                f"{reach} AND d.status = ANY(%(open)s) AND d.received_on >= %(since)s",
                None,
                0,
            ),
        }
        params["since"] = since
        for page, (filters, where, limit, offset) in lists.items():
            if page not in request["pages"]:
                continue
            expected, got = app_rows(filters, limit, offset), rows(where, limit, offset)
            if expected != got:
                raise SystemExit(
                    f"{page} {name}: the SQL's rows differ from the app's: {got[:5]} vs {expected[:5]}"
                )
            sql_ms[page][name] = _measure(functools.partial(rows, where, limit, offset))
            app_ms[page][name], app_db_ms[page][name] = _measure_app(
                functools.partial(app_page, page, filters, limit, offset)
            )
            _log(
                f"http: {page} {name}: SQL {sql_ms[page][name]} ms, app {app_ms[page][name]} ms"
                f" (in the database {app_db_ms[page][name]} ms) for {len(got)} rows"
            )

        if "home" in request["pages"]:
            statements = [sql.format(mine=MINE, reach=reach, overdue=overdue) for sql in HOME_SQL]
            groups = {
                **{k: [str(x) for x in v] for k, v in selectors.HOME_PANELS.items()},
                "open": base["open"],
            }
            groups["resolving"] = base["resolving"]

            def home(
                statements: list[str] = statements, params: dict = params, groups: dict = groups
            ) -> dict:
                with connection.cursor() as cursor:
                    results = []
                    for sql in statements:
                        cursor.execute(sql, params)
                        results.append(cursor.fetchall())
                return home_counts(results, groups)

            def app_home(user: User = user) -> dict:
                return selectors.home_counts(user=fresh(user))

            expected_counts, got_counts = app_home(), home()
            if expected_counts != got_counts:
                raise SystemExit(f"home {name}: the SQL's counts differ: {got_counts} vs {expected_counts}")
            sql_ms["home"][name] = _measure(home)
            app_ms["home"][name], app_db_ms["home"][name] = _measure_app(app_home)
            _log(
                f"http: home {name}: SQL {sql_ms['home'][name]} ms, app {app_ms['home'][name]} ms, {got_counts}"
            )

    return {
        "sessions": sessions,
        "deep_page": deep_page,
        "detail_ids": detail_ids,
        "export_query": export_query,
        # The slowest user's median, as the page's p95 is over every user.
        "sql_ms": {page: max(by_user.values()) for page, by_user in sql_ms.items()},
        "app_ms": {page: max(by_user.values()) for page, by_user in app_ms.items()},
        "app_db_ms": {page: max(by_user.values()) for page, by_user in app_db_ms.items()},
    }


if __name__ == "__main__" and "--child" in sys.argv:
    sys.path.insert(0, str(ROOT))
    try:
        print(json.dumps(_child_main(), default=str))
    except BaseException:
        if CREATED_SESSIONS:  # the parent never hears of them: delete them here
            from django.contrib.sessions.models import Session

            Session.objects.filter(session_key__in=CREATED_SESSIONS).delete()
        raise
elif __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
