"""Bulletins (通报): the figures of a closed period for a centre's region, issued as a numbered PDF through
the documents capability, with their data kept as they stood (``Bulletin.snapshot``, also the document's
context: a later correction of a case never changes an issued bulletin).

Built by Celery beat on the first day of the next period for every centre (``bulletins_due``), and on
demand from the reports page; the PDF renders in the background with its progress shown. Subscribers of
the region are told, in their inbox and by e-mail, once it is issued.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import workdays
from core.models import Organisation, Region, User
from deadlines.models import Problem
from disputes.models import Dispute

from . import periods
from .dashboard import read
from .metrics import FOUR, OTHERS, Scope, change_in_percent, change_in_points, remedies_of
from .models import Bulletin, Subscription
from .selectors import paths_above

MAX_REMEDIES = 200  # the remedy tasks a bulletin lists (the count is always whole)


def _value(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _rate_text(value: str | None) -> str:
    return "—" if value is None else f"{value}%"


def _change_text(change: Decimal | None, unit: str) -> str:
    if change is None:
        return "—"
    if change == 0:
        return "持平"
    return f"{'上升' if change > 0 else '下降'}{abs(change)}{unit}"


def snapshot(scope: Scope, period: periods.Period, region: Region) -> dict[str, Any]:
    """Everything a bulletin prints, in Chinese (bulletins are issued in Chinese), JSON-ready."""
    # The figures as the region's dashboard reads them (never the kept ones: read now, for the record).
    figures = read(scope, workdays.today())
    table, before = figures.table, figures.last_year

    def figure(metric: Any) -> dict[str, Any]:
        now, then = table.totals[metric.code], before.totals[metric.code]
        change = change_in_points(now, then)
        return {
            "code": metric.code,
            "label": str(metric.label),
            "numerator": now.numerator,
            "denominator": now.denominator,
            "value": _rate_text(_value(now.value)),
            "raw": _value(now.value),
            "previous": _rate_text(_value(then.value)),
            "change": _change_text(change, "个百分点"),
            "alarm": metric.alarm(now.value),
            "beside": [[str(metric.beside_labels[k]), n] for k, n in now.beside.items()],
        }

    columns = [*FOUR, OTHERS[0], next(m for m in OTHERS if m.code == "loss_rate")]
    loss, loss_before = table.totals["loss_rate"], before.totals["loss_rate"]
    now_volume, then_volume = figures.volume, figures.volume_before
    remedies = (
        remedies_of(scope)
        .select_related("organisation", "deadline")
        .order_by("organisation__name", "missed_on", "pk")
    )
    listed = list(remedies[:MAX_REMEDIES])
    numbers = dict(
        Dispute.objects.filter(pk__in={r.deadline.subject_id for r in listed}).values_list("pk", "number")
    )
    return {
        "title": f"{region.name}{period.label}行政争议化解工作通报",
        "region": region.name,
        "period": period.label,
        "first": scope.first.isoformat(),
        "last": scope.last.isoformat(),
        "built_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "four": [figure(m) for m in FOUR],
        "others": [figure(m) for m in OTHERS],
        "loss": {
            "count": loss.numerator,
            "before": loss_before.numerator,
            "change": _change_text(change_in_percent(loss.numerator, loss_before.numerator), "%"),
        },
        "volume": {
            "received": now_volume.received,
            "received_before": then_volume.received,
            "litigation": now_volume.litigation,
            "litigation_before": then_volume.litigation,
            "litigation_change": _change_text(
                change_in_percent(now_volume.litigation, then_volume.litigation), "%"
            ),
        },
        "columns": [str(m.short) for m in columns],
        "agencies": [
            {
                "name": row.agency,
                "rates": [[_rate_text(_value(row.rate(m.code))), m.alarm(row.rate(m.code))] for m in columns],
                "supervised": row.supervised,
                "problems": [[str(p.label), row.problems.get(p.value, 0)] for p in Problem],
            }
            for row in figures.agencies()
        ],
        "regions": [
            {
                "name": row.region,
                "rates": [[_rate_text(_value(row.rate(m.code))), m.alarm(row.rate(m.code))] for m in columns],
            }  # fmt: skip
            for row in figures.regions()
        ],
        "remedies": [
            {
                "agency": r.organisation.name,
                "problem": r.get_problem_display(),
                "case": numbers.get(r.deadline.subject_id, ""),
                "missed_on": r.missed_on.isoformat(),
                "status": r.get_status_display(),
            }
            for r in listed
        ],
        "remedy_count": remedies.count(),
        "chart_svg": four_chart(
            [(str(m.short), table.totals[m.code].value, before.totals[m.code].value) for m in FOUR]
        ),
    }


def four_chart(bars: list[tuple[str, Decimal | None, Decimal | None]]) -> str:
    """The four this period beside the same period last year, as an SVG bar chart for the PDF (drawn
    here: a PDF runs no script)."""
    width, height, left, top, bottom = 560, 200, 40, 16, 36
    plot = height - top - bottom
    group = (width - left - 10) / len(bars)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-size="10">']  # fmt: skip
    for tick in (0, 50, 100):
        y = top + plot * (1 - tick / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#d0d5dd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#667085">{tick}%</text>')
    for i, (label, now, then) in enumerate(bars):
        x = left + i * group + group * 0.2
        bar = group * 0.28
        for j, (value, colour) in enumerate(((then, "#98a2b3"), (now, "#1f4e8c"))):
            if value is None:
                continue
            h = plot * float(value) / 100
            colour = "#b42318" if j == 1 and value < 100 else colour
            parts.append(f'<rect x="{x + j * (bar + 4):.1f}" y="{top + plot - h:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"/>')  # fmt: skip
            parts.append(f'<text x="{x + j * (bar + 4) + bar / 2:.1f}" y="{top + plot - h - 3:.1f}" '
                         f'text-anchor="middle" fill="#344054">{value}</text>')  # fmt: skip
        parts.append(f'<text x="{x + bar + 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                     f"{escape(label)}</text>")  # fmt: skip
    legend_y = height - 8
    parts.append(f'<rect x="{left}" y="{legend_y - 8}" width="10" height="8" fill="#98a2b3"/>'
                 f'<text x="{left + 14}" y="{legend_y}">上年同期</text>'
                 f'<rect x="{left + 80}" y="{legend_y - 8}" width="10" height="8" fill="#1f4e8c"/>'
                 f'<text x="{left + 94}" y="{legend_y}">本期（未达100%为红色）</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def centres() -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.CENTRE).select_related("region").order_by("pk")
    )


@transaction.atomic
def bulletin_build(
    *, organisation: Organisation, kind: str, day: date, actor: User | None = None
) -> Bulletin:
    """Build and issue the bulletin of the period of ``kind`` containing ``day`` for ``organisation``'s
    region: read every figure, keep them, and issue the PDF (rendered in the background). ``actor``: who
    asked for it (None on schedule). Its subscribers are told once it is issued."""
    from documents.services import document_generate

    period = periods.period_of(kind, day)
    region = organisation.region
    with override("zh-hans"):
        data = snapshot(Scope.of_region(region, period.first, period.last), period, region)
    bulletin = Bulletin.objects.create(
        organisation=organisation, region=region, kind=kind, first=period.first, last=period.last,
        snapshot=data, requested_by=actor,
    )  # fmt: skip
    bulletin.document = document_generate(
        subject=bulletin, doc_type="bulletin", issuer=organisation, context=data, actor=actor
    )
    bulletin.save(update_fields=["document"])
    transaction.on_commit(lambda: _tell_subscribers(bulletin))
    return bulletin


def subscribers(region: Region) -> list[User]:
    """The subscribers who read the reports of ``region``: in it, below it or above it."""
    ancestors = paths_above(region.path)
    users = (
        User.objects.filter(bulletin_subscription__isnull=False, is_active=True, organisation__isnull=False)
        .select_related("organisation__region")
        .order_by("pk")
    )
    return [
        u for u in users
        if u.can("view_reports") and u.organisation is not None
        and (u.organisation.region.path.startswith(region.path) or u.organisation.region.path in ancestors)
    ]  # fmt: skip


def _tell_subscribers(bulletin: Bulletin) -> None:
    from notifications.services import notify

    with override("zh-hans"):
        notify(
            recipients=subscribers(bulletin.region),
            kind="bulletin",
            key=f"bulletin-{bulletin.pk}",
            title=str(bulletin.snapshot.get("title", "")),
            body=_("The bulletin is issued: open it for the figures and the PDF."),
            url=reverse("reports:bulletin", args=[bulletin.pk]),
        )


def bulletins_due(today: date) -> list[Bulletin]:
    """On the first day of a month, quarter, half-year or year: the bulletins of the period just closed,
    for every centre that has none yet (built on schedule). Running twice the same day builds nothing
    more."""
    made = []
    for kind in ("month", "quarter", "half", "year"):
        just_closed = periods.period_of(kind, today - timedelta(days=1))
        if periods.period_of(kind, today).first != today:
            continue
        for centre in centres():
            if Bulletin.objects.filter(organisation=centre, kind=kind, first=just_closed.first,
                                       requested_by__isnull=True).exists():  # fmt: skip
                continue
            made.append(bulletin_build(organisation=centre, kind=kind, day=just_closed.first))
    return made


def subscription_set(*, user: User, subscribed: bool) -> None:
    if subscribed:
        Subscription.objects.get_or_create(user=user)
    else:
        Subscription.objects.filter(user=user).delete()
