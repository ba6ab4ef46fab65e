"""`make bench`: run every bench/bench_*.py and print one `name: value` line per figure.

Each benchmark module defines ``run() -> dict[str, float]``. Benchmarks need PostgreSQL and Redis
(DATABASE_URL/REDIS_URL, defaulting to this machine's) because that is where the figures matter.
"""

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")


def main() -> int:
    modules = sorted(HERE.glob("bench_*.py"))
    if not modules:
        print("benchmarks: 0")
        return 0
    import django

    django.setup()
    for path in modules:
        # Imported as the package's modules (bench is a package), so dataclasses and pickling find them.
        module = importlib.import_module(f"bench.{path.stem}")
        for name, value in module.run().items():
            print(f"{name}: {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
