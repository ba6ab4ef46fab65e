"""``manage.py load_calendar cn-2027.csv [...]``: load the State Council's holiday arrangement.

File format (UTF-8, as shipped in core/data/calendar)::

    # Statutory holidays (holiday) and make-up working days (workday) in mainland China, 2026.
    # Source: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04. Weekends not listed ...
    date,kind,name
    2026-10-01,holiday,国庆节
    2026-10-10,workday,国庆节

Lines starting with ``#`` are comments; the one starting ``# Source:`` (or ``# 来源：``) gives every row's
``source`` (up to the first full stop). Every row of every file is checked before anything is written;
one bad row and nothing is loaded. Loading the same file again changes nothing.
"""

from __future__ import annotations

import csv
import re
from argparse import ArgumentParser
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.models import CalendarDay
from core.workdays import calendar_changed

SOURCE_LINE = re.compile(r"^#\s*(?:source|来源)\s*[:：]\s*(?P<source>.+)$", re.IGNORECASE)
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CalendarRow:
    date: date
    kind: str
    name: str
    source: str
    file: Path
    line: int


def _source_from_comment(text: str) -> str:
    """``国办发明电〔2024〕12号, 2024-11-12. Weekends not listed …`` → ``国办发明电〔2024〕12号, 2024-11-12``."""
    return re.split(r"(?<=\S)\.\s|。", text, maxsplit=1)[0].strip().rstrip(".")


def _max_length(field_name: str) -> int:
    field = CalendarDay._meta.get_field(field_name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise ImproperlyConfigured(f"CalendarDay.{field_name} is not a text field with a maximum length")
    return field.max_length


def read_calendar_file(path: Path) -> tuple[list[CalendarRow], list[str]]:
    """The rows of one file and the problems found in it (each naming file and line)."""
    name_max = _max_length("name")
    source_max = _max_length("source")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], [_("%(file)s: no such file.") % {"file": path}]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [_("%(file)s: cannot be read as UTF-8 text (%(error)s).") % {"file": path, "error": exc}]

    source = ""
    data: list[tuple[int, list[str]]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            match = SOURCE_LINE.match(stripped)
            if match:
                source = _source_from_comment(match["source"])
            continue
        cells = [cell.strip() for cell in next(csv.reader([stripped]))]
        if cells and cells[0].lower() == "date":
            continue  # the header
        data.append((number, cells))
    if len(source) > source_max:
        problems.append(
            _("%(file)s: the source is longer than %(max)d characters.") % {"file": path, "max": source_max}
        )

    rows: list[CalendarRow] = []
    for number, cells in data:
        where = {"file": path, "line": number}
        if len(cells) != 3:
            problems.append(
                _("%(file)s, line %(line)d: expected three columns (date,kind,name), found %(count)d.")
                % {**where, "count": len(cells)}
            )
            continue
        raw_date, kind, name = cells
        try:
            if not DATE_FORMAT.match(raw_date):
                raise ValueError
            day = date.fromisoformat(raw_date)
        except ValueError:
            problems.append(
                _("%(file)s, line %(line)d: “%(value)s” is not a valid date; write it as YYYY-MM-DD.")
                % {**where, "value": raw_date}
            )
            continue
        if kind not in CalendarDay.Kind.values:
            problems.append(
                _("%(file)s, line %(line)d: unknown kind “%(value)s”; use holiday or workday.")
                % {**where, "value": kind}
            )
            continue
        if not name:
            problems.append(_("%(file)s, line %(line)d: the name is empty.") % where)
            continue
        if len(name) > name_max:
            problems.append(
                _("%(file)s, line %(line)d: the name is longer than %(max)d characters.")
                % {**where, "max": name_max}
            )
            continue
        if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            problems.append(
                _("%(file)s, line %(line)d: %(date)s is a weekday, so it cannot be a make-up working day.")
                % {**where, "date": raw_date}
            )
            continue
        rows.append(CalendarRow(day, kind, name, source, path, number))
    if not data and not problems:
        problems.append(_("%(file)s: no calendar rows found.") % {"file": path})
    return rows, problems


class Command(BaseCommand):
    help = (
        "Load statutory holidays and make-up working days from CSV files (date,kind,name; # comments, "
        "'# Source: …' names the notice). Checks every row first; writes all or nothing. Safe to rerun."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help="CSV files, e.g. core/data/calendar/cn-2027.csv"
        )

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        rows: list[CalendarRow] = []
        problems: list[str] = []
        for path in files:
            file_rows, file_problems = read_calendar_file(path)
            rows += file_rows
            problems += file_problems

        first_seen: dict[date, CalendarRow] = {}
        for row in rows:
            first = first_seen.get(row.date)
            if first is not None:
                problems.append(
                    _(
                        "%(file)s, line %(line)d: %(date)s is listed twice (first in %(first)s, line %(first_line)d)."
                    )
                    % {
                        "file": row.file,
                        "line": row.line,
                        "date": row.date,
                        "first": first.file,
                        "first_line": first.line,
                    }
                )
            else:
                first_seen[row.date] = row

        if problems:
            raise CommandError(
                "\n".join(
                    [
                        _("Nothing was loaded: %(count)d problem(s) found.") % {"count": len(problems)},
                        *problems,
                    ]
                )
            )

        created = updated = unchanged = 0
        with transaction.atomic():
            existing = CalendarDay.objects.in_bulk(list(first_seen), field_name="date")
            for row in first_seen.values():
                day = existing.get(row.date)
                if day is None:
                    CalendarDay.objects.create(date=row.date, kind=row.kind, name=row.name, source=row.source)
                    created += 1
                elif (day.kind, day.name, day.source) != (row.kind, row.name, row.source):
                    day.kind, day.name, day.source = row.kind, row.name, row.source
                    day.save(update_fields=["kind", "name", "source"])
                    updated += 1
                else:
                    unchanged += 1
        calendar_changed()

        years = ", ".join(str(y) for y in sorted({d.year for d in first_seen}))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Calendar loaded for %(years)s: %(created)d days added, %(updated)d updated, "
                    "%(unchanged)d unchanged."
                )
                % {"years": years, "created": created, "updated": updated, "unchanged": unchanged}
            )
        )
