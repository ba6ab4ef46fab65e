"""The case list a clerk works from all day, and its spreadsheet export (台账)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any, cast

import django_filters
from django.contrib import messages
from django.db.models import Field, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core import workdays
from core.access import can
from core.decorators import capability_required
from core.http import AuthenticatedHttpRequest, attachment
from core.masking import mask_phone
from core.paginator import CAP, SEARCH_CAP, CappedPaginator
from core.roles import Capability
from core.xlsx import XLSX_TYPE, write_ledger

from . import selectors
from .choices import STATUS_STAGE, PartyRole, Stage, Status
from .filters import DisputeFilterSet
from .models import Dispute, Party

PAGE_SIZE = 25
PAGE_SIZES = (25, 50, 100)
EXPORT_LIMIT = 10_000


class ListFilterSet(DisputeFilterSet):
    """The filter bar: the case list's filters and, for the page alone, how many rows a page holds."""

    per_page = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Per page"),
        coerce=int,
        empty_value=PAGE_SIZE,
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )


def _query(request: HttpRequest, *, drop: tuple[str, ...] = (), **changes) -> str:
    params: QueryDict = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in changes.items():
        params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


# Column → the sort key its header applies first (dates newest first, names A to Z); a second click reverses it.
SORTABLE = {
    "number": "-number",
    "respondent": "respondent",
    "received_on": "-received_on",
    "status_changed_at": "-status_changed_at",
}


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    links = {}
    for column, first in SORTABLE.items():
        key = first.lstrip("-")
        if current == key:
            target, direction = f"-{key}", "asc"
        elif current == f"-{key}":
            target, direction = key, "desc"
        else:
            target, direction = first, ""
        links[column] = {"url": _query(request, drop=("page",), sort=target), "direction": direction}
    return links


@require_GET
@capability_required(Capability.VIEW_CASES)
def dispute_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A value that does not validate is reported beside its field and left out of the filtering,
    # never an error page.
    filterset = ListFilterSet(
        request.GET, queryset=selectors.dispute_list(user=request.user), request=request
    )
    form = filterset.form
    filters = filterset.filter_values()
    queryset = filterset.qs
    number = request.GET.get("page")
    cap = SEARCH_CAP if filters.get("q") else CAP
    page = CappedPaginator(queryset, filters.get("per_page") or PAGE_SIZE, page=number, cap=cap).get_page(
        number
    )
    current_sort = filters.get("sort") or selectors.DEFAULT_SORT
    return render(
        request,
        "disputes/list.html",
        {
            "form": form,
            "page": page,
            "sort_links": _sort_links(request, current_sort),
            "export_url": reverse("disputes:export") + _query(request, drop=("page", "per_page")),
            "reset_url": reverse("disputes:list"),
            "can_register": can(request.user, Capability.REGISTER_DISPUTE),
            "filtered": any(
                v not in (None, "", []) for k, v in filters.items() if k not in ("sort", "per_page")
            ),
        },
    )


EXPORT_COLUMNS = (
    # (header msgid, column width)
    (gettext_lazy("Case number"), 26),
    (gettext_lazy("Source"), 16),
    (gettext_lazy("Case kind"), 14),
    (gettext_lazy("Applicants"), 20),
    # Masked, as on every page: the ledger identifies, it does not carry whole ID or phone numbers.
    (gettext_lazy("Applicants' ID numbers"), 22),
    (gettext_lazy("Applicants' phones"), 16),
    (gettext_lazy("Respondent"), 28),
    (gettext_lazy("Disputed act"), 40),
    (gettext_lazy("Type of dispute"), 18),
    (gettext_lazy("Received on"), 12),
    (gettext_lazy("Current stage"), 12),
    (gettext_lazy("Current status"), 16),
)


def _labels(field: str) -> dict[Any, str]:
    """A choice field's labels in the active language, translated once per export, not once per row
    (the row-by-row translation took a third of a large export's time)."""
    choices = cast(Field, Dispute._meta.get_field(field)).flatchoices
    return {value: str(label) for value, label in choices}


EXPORT_FIELDS = (
    "pk",
    "number",
    "source",
    "kind",
    "respondent__name",
    "act_summary",
    "matter",
    "received_on",
    "status",
)
EXPORT_CHUNK = 1_000


def _export_rows(disputes: QuerySet[Dispute]) -> Iterator[list[Any]]:
    """The ledger's rows of ``disputes``, in its order: the cases' columns as plain values (no model
    objects: building 40,000 of them for 8,000 rows took most of an export's time), read in chunks of
    ``EXPORT_CHUNK``, with one query per chunk for the applicants' names."""
    source, kind, matter, status = (_labels(f) for f in ("source", "kind", "matter", "status"))
    stage = {value: str(label) for value, label in Stage.choices}
    values = disputes.select_related(None).prefetch_related(None).values_list(*EXPORT_FIELDS)
    chunk: list[tuple[Any, ...]] = []

    def rows() -> Iterator[list[Any]]:
        applicants: dict[int, list[tuple[str, str, str]]] = {}
        parties = Party.objects.filter(dispute_id__in=[row[0] for row in chunk], role=PartyRole.APPLICANT)
        for dispute_id, name, id_number, credit_code, phone in parties.order_by("pk").values_list(
            "dispute_id", "name", "id_number", "credit_code", "phone"
        ):
            identifier = Party.identifier_shown(id_number, credit_code)
            applicants.setdefault(dispute_id, []).append((name, identifier, mask_phone(phone)))
        for pk, number, source_, kind_, respondent, act, matter_, received_on, status_ in chunk:
            yield [
                number,
                source.get(source_, source_),
                kind.get(kind_, kind_),
                "、".join(a[0] for a in applicants.get(pk, ())),
                "、".join(a[1] for a in applicants.get(pk, ()) if a[1]),
                "、".join(a[2] for a in applicants.get(pk, ()) if a[2]),
                respondent,
                act,
                matter.get(matter_, matter_),
                received_on,
                stage.get(STATUS_STAGE[Status(status_)], ""),
                status.get(status_, status_),
            ]

    for row in values.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from rows()
            chunk = []
    if chunk:
        yield from rows()


@require_GET
@capability_required(Capability.VIEW_CASES)
def dispute_export(request: AuthenticatedHttpRequest) -> FileResponse | HttpResponseRedirect:
    """The filtered list as an .xlsx ledger, every row (up to ``EXPORT_LIMIT``).

    An .xlsx file is a zip whose index comes last, so it cannot be sent while rows are still being
    read; ``core.xlsx.write_ledger`` writes the rows as they are read into a temporary file (flat
    memory use), and the response then streams that file.
    """
    list_url = reverse("disputes:list") + _query(request)
    filterset = DisputeFilterSet(
        request.GET, queryset=selectors.dispute_list(user=request.user), request=request
    )
    if not filterset.is_valid():
        messages.error(request, _("Some filters are not valid. Correct them before exporting."))
        return redirect(list_url)
    queryset = filterset.qs
    # Counted only as far as the limit: a million matching rows are not counted to refuse them.
    total = queryset.order_by().values("pk")[: EXPORT_LIMIT + 1].count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "%(total)s cases match these filters; an export holds at most %(limit)s. "
                "Narrow the filters (for example by date received) and export again."
            )
            % {"total": f"{EXPORT_LIMIT:,}+", "limit": f"{EXPORT_LIMIT:,}"},
        )
        return redirect(list_url)

    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when the response is sent
    write_ledger(
        output,
        sheet=_("Dispute cases"),
        columns=[(str(title), width) for title, width in EXPORT_COLUMNS],
        rows=_export_rows(queryset),
    )
    output.seek(0)

    today = workdays.today()
    filename = f"{_('Administrative disputes')}_{today:%Y%m%d}.xlsx"
    response = FileResponse(output, content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename, f"disputes_{today:%Y%m%d}.xlsx")
    return response
