"""Load the State Council's 2025 and 2026 holiday arrangements shipped in core/data/calendar, so a fresh
install counts deadlines correctly. Idempotent (update_or_create by date). Later years: ``manage.py
load_calendar`` (or a new data migration). Self-contained on purpose: the shipped files are trusted, and
a migration must not change behaviour when the app's code changes later."""

import csv
import re
import uuid
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "calendar"
FILES = ["cn-2025.csv", "cn-2026.csv"]
SOURCE_LINE = re.compile(r"^#\s*(?:source|来源)\s*[:：]\s*(?P<source>.+)$", re.IGNORECASE)


def _rows(path):
    source = ""
    data_lines = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            match = SOURCE_LINE.match(stripped)
            if match:
                source = re.split(r"(?<=\S)\.\s|。", match["source"], maxsplit=1)[0].strip().rstrip(".")
        elif stripped:
            data_lines.append(stripped)
    for date, kind, name in csv.reader(data_lines):
        if date.strip().lower() == "date":
            continue
        yield date.strip(), kind.strip(), name.strip(), source


def load(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    for filename in FILES:
        for date, kind, name, source in _rows(DATA_DIR / filename):
            CalendarDay.objects.update_or_create(
                date=date, defaults={"kind": kind, "name": name, "source": source}
            )
    try:
        # Same key as core.workdays.VERSION_CACHE_KEY: running processes reload the calendar.
        from django.core.cache import cache

        cache.set("core:workdays:calendar-version", uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - an unreachable cache must not fail a deploy; new processes load fresh
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendarday"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
