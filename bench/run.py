"""`make bench`: run every bench/bench_*.py and print one `name: value` line per figure.

Each benchmark module defines ``run() -> dict[str, float]``. Benchmarks need PostgreSQL and Redis
(DATABASE_URL/REDIS_URL, defaulting to this machine's) because that is where the figures matter.
"""

import importlib.util
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
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None  # a .py file always has both
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, value in module.run().items():
            print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
