"""Database and cache. ``DATABASE_URL`` picks the database (SQLite by default); ``REDIS_URL`` the cache."""

from .env import BASE_DIR, env

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'huajie.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DB_CONNECT_TIMEOUT", default=5
    )
    # The app's queries are short index lookups; PostgreSQL's JIT compiler, triggered by row estimates,
    # spent most of their time compiling (docs/performance.md). Off for this connection unless
    # DB_JIT=on; the compose file sets it for the server too.
    # work_mem: a search's bitmap of a common term (a fifth of a province's cases) stays exact in 32 MB;
    # in the default 4 MB it went lossy and every row of its pages was parsed again (507 ms → 76 ms).
    session = [f"-c work_mem={env('DB_WORK_MEM', default='32MB')}"]
    if not env.bool("DB_JIT", default=False):
        session.append("-c jit=off")
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(session)
else:
    # SQLite: wait for a lock instead of failing at once when the worker and the web write together.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
