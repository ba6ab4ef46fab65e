"""The production server from its first second: gunicorn with config/gunicorn.conf.py, PostgreSQL and
persistent connections (CONN_MAX_AGE), answering several users at once.

The start-up check opens a database connection in gunicorn's master before it forks. If that
connection survived the fork, every worker would inherit the same socket and read the answers to
each other's queries: sessions "corrupted", rows of one query returned to another, one user's data in
another's response. This test starts a real server and sends concurrent requests as different users
from the moment the port opens; every answer must be the asker's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.db import connection

from security.tokens import token_issue
from tests.concurrency import POSTGRES_ONLY
from tests.disputes.factories import County

ROOT = Path(__file__).resolve().parents[2]

pytestmark = POSTGRES_ONLY


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _get(port: int, path: str, token: str) -> tuple[int, bytes]:
    request = Request(
        f"http://127.0.0.1:{port}{path}",
        headers={
            "Authorization": f"Token {token}",
            "Accept": "application/json",
            "Accept-Language": "zh-hans",
        },
    )
    try:
        with urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except HTTPError as exc:
        return exc.code, exc.read()
    except (URLError, OSError) as exc:  # a dropped connection, or no answer within a minute
        return 0, repr(exc).encode()


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise AssertionError("gunicorn did not open its port")


# The server reads the personal data the test writes: both use these keys (production requires its own).
KEYS = {
    "FIELD_ENCRYPTION_KEYS": "Z3VuaWNvcm4tdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=",
    "FIELD_HASH_KEY": "gunicorn-test-hash-key",
}


def test_concurrent_users_from_the_first_second_each_see_only_their_own_data(tmp_path, settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEYS["FIELD_ENCRYPTION_KEYS"]]
    settings.FIELD_HASH_KEY = KEYS["FIELD_HASH_KEY"]
    county = County()
    users = [county.clerk, county.liaison, county.other_liaison, county.court_clerk]
    own_case = county.register(applicant="王大山")
    other_case = county.register(respondent=county.other_agency, applicant="李小河")
    tokens = {user.username: token_issue(user=user)[1] for user in users}
    # What each user must see: their own name, and each case only where their reach allows it.
    expected_case = {
        county.clerk.username: {own_case.pk: own_case.number, other_case.pk: other_case.number},
        county.liaison.username: {own_case.pk: own_case.number},
        county.other_liaison.username: {other_case.pk: other_case.number},
        county.court_clerk.username: {own_case.pk: own_case.number, other_case.pk: other_case.number},
    }

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="gunicorn-test-" + "k" * 60,
        **KEYS,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=_database_url(),
        CONN_MAX_AGE="600",  # connections live long: a shared one would not time out during the test
        PORT=str(port),
        WEB_CONCURRENCY="3",
    )
    env.pop("REDIS_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process)

        def client(username: str) -> list[str]:
            """One user's requests for two seconds from the first one; returns what went wrong."""
            problems = []
            token = tokens[username]
            stop = time.monotonic() + 2
            while time.monotonic() < stop:
                status, body = _get(port, "/api/me/", token)
                if status != 200 or f'"username":"{username}"'.encode() not in body.replace(b" ", b""):
                    problems.append(f"{username} /api/me/ -> {status} {body[:120]!r}")
                for case_pk in (own_case.pk, other_case.pk):
                    status, body = _get(port, f"/api/disputes/{case_pk}/", token)
                    number = expected_case[username].get(case_pk)
                    if number is None:
                        if status != 404:
                            problems.append(f"{username} case {case_pk} -> {status}, expected 404")
                    elif status != 200 or number.encode() not in body:
                        problems.append(f"{username} case {case_pk} -> {status} {body[:120]!r}")
            return problems

        # Six concurrent clients: every user, two of them twice.
        clients = [*tokens, county.clerk.username, county.liaison.username]
        with ThreadPoolExecutor(len(clients)) as pool:
            results = list(pool.map(client, clients))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker stuck on a broken connection: the failure shows below
            process.kill()
            process.wait(timeout=10)
    problems = [p for result in results for p in result]
    requests_made = sum(1 for _ in results)
    server_log = log.read_text()
    assert not problems, f"{len(problems)} wrong answers, e.g. {problems[:5]}\n{server_log[-3000:]}"
    assert requests_made == len(clients)
    assert " 500 " not in server_log and "Traceback" not in server_log, server_log[-3000:]
