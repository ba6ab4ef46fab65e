"""Start-up guard: a misconfigured deployment fails with one clear line instead of a traceback.

Used by ``manage.py`` and by gunicorn's ``on_starting`` hook. The messages name the variable to fix,
because the person reading them is an operator, not a Python developer.
"""

from __future__ import annotations

import sys

EXIT_CONFIG = 78  # EX_CONFIG from sysexits.h


def _explain(exc: BaseException) -> str | None:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    if isinstance(exc, ImproperlyConfigured):
        return f"Huajie 启动失败 (configuration error): {exc}"
    if isinstance(exc, OperationalError):
        from django.conf import settings

        db = settings.DATABASES["default"]
        where = db.get("HOST") or db.get("NAME")
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return f"Huajie 启动失败 (database unreachable): cannot connect to the {db['ENGINE'].rsplit('.', 1)[-1]} database at {where}: {reason}. Check DATABASE_URL."
    return None


def run_or_explain(argv: list[str]) -> None:
    """Run a management command; configuration and connection errors become one line on stderr."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except Exception as exc:  # noqa: BLE001 - re-raised unless it is a configuration problem
        message = _explain(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def verify_or_exit() -> None:
    """Load settings and open one database connection; exit with one line if either fails.

    The connection is closed again before returning. gunicorn calls this in its master process,
    which then forks the workers: a connection left open here would be inherited by every worker,
    and with persistent connections (``CONN_MAX_AGE``) they would all talk over the one socket and
    read the answers to each other's queries."""
    try:
        import django

        django.setup()
        from django.db import connection

        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001
        message = _explain(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    close_connections()


def close_connections() -> None:
    """Close every database connection this process holds (before gunicorn forks its workers)."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()
