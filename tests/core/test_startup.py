"""A misconfigured deployment fails at start with one clear line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_production_without_secret_key_fails_with_one_line():
    result = _run(
        ["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode == 78
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0] and "Traceback" not in result.stderr


def test_production_without_allowed_hosts_fails_with_one_line():
    result = _run(
        ["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="k" * 60
    )
    assert result.returncode == 78
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "ALLOWED_HOSTS" in result.stderr


def test_unreachable_database_fails_with_one_line():
    result = _run(
        ["manage.py", "migrate", "--noinput"],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nowhere",
    )
    assert result.returncode == 78
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0] and "127.0.0.1" in lines[0]


def test_gunicorn_hook_refuses_an_unreachable_database():
    result = _run(
        ["-c", "from config.startup import verify_or_exit; verify_or_exit()"],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="huajie.example",
        FIELD_ENCRYPTION_KEYS="Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5LSE=",
        FIELD_HASH_KEY="h" * 40,
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nowhere",
    )
    assert result.returncode == 78
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "DATABASE_URL" in result.stderr


def test_production_without_the_personal_data_keys_fails_with_one_line():
    for missing in ("FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY"):
        keys = {
            "FIELD_ENCRYPTION_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5LSE=",
            "FIELD_HASH_KEY": "h" * 40,
        }
        del keys[missing]
        result = _run(
            ["manage.py", "check"],
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY="k" * 60,
            ALLOWED_HOSTS="x.example",
            **keys,
        )
        assert result.returncode == 78
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert missing in result.stderr
