"""The test suite. ``DATABASE_URL``/``REDIS_URL`` from the environment choose SQLite or PostgreSQL."""

import os

from .base import *  # noqa: F403

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Parallel test workers (pytest-xdist) share one Redis: keep their caches apart.
CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405

# Each test reads its own figures (tests/reports/test_dashboard_cache.py turns the keeping on).
REPORTS_CACHE_SECONDS = 0

# The throttles count across tests within a minute: out of the way here (tests/security sets its own).
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "sign_in": "100000/minute"},
}
