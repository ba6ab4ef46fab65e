"""The dashboard's tables as one Excel workbook, a sheet per table: the figures, the early warning, the
regions, the agencies with their 四不问题, and the case volume. What the page shows, in the same order,
with the period and the scope on top of each sheet; a figure below target in red."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

RED = Font(color="B42318")
BOLD = Font(bold=True)


class Percent(float):
    """A share, shown as a percentage with two decimals."""


def _percent(value: Decimal | None) -> Any:
    return Percent(value / 100) if value is not None else "—"


def _sheet(book: Workbook, title: str, heading: str, columns: Sequence[tuple[str, int]],
           rows: Iterable[Sequence[tuple[Any, bool]]]) -> None:  # fmt: skip
    """One table: the heading line, the column titles (bold, frozen), then rows of (value, red)."""
    sheet = book.create_sheet(title=title[:31])
    sheet.append([heading])
    sheet["A1"].font = BOLD
    sheet.append([name for name, _width in columns])
    for cell in sheet[2]:
        cell.font = BOLD
    for index, (_name, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        sheet.append([value for value, _red in row])
        for cell, (value, red) in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Percent):
                cell.number_format = "0.00%"
            elif isinstance(value, float):
                cell.number_format = "0.00"
            if red:
                cell.font = RED
    sheet.freeze_panes = "A3"


def _rate(rate: Decimal | None, alarm: bool) -> tuple[Any, bool]:
    return (_percent(rate), alarm)


def dashboard_workbook(context: dict[str, Any], heading: str) -> bytes:
    """``context`` is ``views.dashboard_context``; ``heading`` names the period and the scope."""
    book = Workbook()
    book.remove(book.active)
    plain = False
    figures = []
    for card in [*context["cards"], *context["others"]]:
        metric, now, before = card["metric"], card["figure"], card["before"]
        figures.append([
            (str(metric.label), plain), _rate(now.value, card["below"]), (now.numerator, plain),
            (now.denominator, plain),
            ("；".join(f"{label} {n}" for label, n in card["beside"]), plain),
            _rate(before.value, False), (float(card["change"]) if card["change"] is not None else "—", False),
            (str(metric.definition), plain),
        ])  # fmt: skip
    loss, volume = context["loss"], context["volume"]
    figures.append([(_("Cases lost"), plain), (loss["count"], plain), ("", plain), ("", plain), ("", plain),
                    (loss["before"], plain), (_percent(loss["change"]), False), ("", plain)])  # fmt: skip
    figures.append([(_("First-instance cases filed"), plain), (volume["now"].litigation, plain), ("", plain),
                    ("", plain), (_("Double fall: volume and loss rate both down") if volume["double_fall"] else "", plain),
                    (volume["before"].litigation, plain), (_percent(volume["litigation_change"]), False),
                    ("", plain)])  # fmt: skip
    _sheet(book, _("Figures"), heading, [(_("Figure"), 28), (_("Rate"), 10), (_("Numerator"), 10),
           (_("Denominator"), 10), (_("Beside"), 30), (_("Same period last year"), 14),
           (_("Year-on-year change"), 14), (_("Definition"), 80)], figures)  # fmt: skip
    if context.get("warnings") is not None:
        _sheet(book, _("Early warning"), heading, [(_("Agency"), 30), (_("Due"), 12), (_("At risk"), 26),
               (_("Case"), 24), (_("Must act"), 30), (_("Call"), 30)],
               ([(a.agency, plain), (w.due_on, w.days_left <= 1), (str(w.what), plain), (w.case_number, plain),
                 (w.body, plain), (w.contact, plain)] for a in context["warnings"].agencies for w in a.warnings))  # fmt: skip
    columns = context["columns"]
    rate_columns = [(str(m.short), 14) for m in columns]
    if context["regions"]:
        _sheet(book, _("By region"), heading, [(_("Rank"), 6), (_("Region"), 20), *rate_columns],
               ([(i, plain), (r["row"].region, plain), *(_rate(rate, alarm) for _c, rate, _p, alarm in r["rates"])]
                for i, r in enumerate(context["regions"], start=1)))  # fmt: skip
    _sheet(book, _("By agency"), heading,
           [(_("Rank"), 6), (_("Agency"), 30), *rate_columns, (_("On-site supervision"), 12),
            *((str(label), 10) for label, _n in (context["agencies"][0]["problems"] if context["agencies"] else []))],
           ([(i, plain), (a["row"].agency, plain), *(_rate(rate, alarm) for _c, rate, _p, alarm in a["rates"]),
             (_("Yes") if a["row"].supervised else "", a["row"].supervised), *((n, bool(n)) for _l, n in a["problems"])]
            for i, a in enumerate(context["agencies"], start=1)))  # fmt: skip
    _sheet(book, _("Case volume"), heading, [(_("Source or matter"), 36), (_("This period"), 12),
           (_("Same period last year"), 14)],
           [[(str(label), plain), (now, plain), (before, plain)]
            for label, now, before in [*volume["sources"], *volume["categories"]] if now or before])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
