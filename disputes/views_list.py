"""The case list a clerk works from all day, and its spreadsheet export (台账)."""

from __future__ import annotations

import tempfile
from typing import Any, cast
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.access import can
from core.decorators import capability_required
from core.http import AuthenticatedHttpRequest
from core.models import Organisation, Region, User
from core.roles import Capability
from core.widgets import DateInput

from . import selectors
from .choices import STATUS_STAGE, CaseKind, Source, Stage, Status

PAGE_SIZE = 25
PAGE_SIZES = (25, 50, 100)
EXPORT_LIMIT = 10_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatusListField(forms.Field):
    """One status, or several separated by commas (the home page links to groups such as
    "accepted,mediating"): a single query parameter, so paging and the export link keep it."""

    widget = forms.Select
    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = list(dict.fromkeys(v.strip() for v in str(value).split(",") if v.strip()))
        for v in values:
            if v not in Status.values:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                )
        return values


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return "\u3000" * max(obj.level - Region.Level.COUNTY, 0) + obj.name


class DisputeFilterForm(forms.Form):
    """The filter bar. Every field is optional; a value that does not validate is reported beside
    its field and left out of the filtering, never an error page."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Case number, name or words from the facts")}
        ),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=[
            ("", gettext_lazy("All stages")),
            (selectors.OPEN, gettext_lazy("All open cases")),
            *Stage.choices,
        ],
    )
    status = StatusListField(label=gettext_lazy("Status"), required=False)
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        required=False,
        choices=[("", gettext_lazy("All sources")), *Source.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Case kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *CaseKind.choices],
    )
    respondent = forms.ModelChoiceField(
        label=gettext_lazy("Respondent"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("All agencies"),
    )
    region = RegionChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=gettext_lazy("All regions"),
    )
    mediator = forms.ModelChoiceField(
        label=gettext_lazy("Mediator"),
        required=False,
        queryset=User.objects.none(),
        empty_label=gettext_lazy("All mediators"),
    )
    received_from = forms.DateField(label=gettext_lazy("Received from"), required=False, widget=DateInput)
    received_to = forms.DateField(label=gettext_lazy("Received until"), required=False, widget=DateInput)
    overdue = forms.ChoiceField(
        label=gettext_lazy("Deadline"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            ("yes", gettext_lazy("Overdue")),
            ("no", gettext_lazy("Not overdue")),
        ],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort order"),
        required=False,
        choices=[(key, key) for key in selectors.SORTS],
        widget=forms.HiddenInput,
    )
    per_page = forms.TypedChoiceField(
        label=gettext_lazy("Per page"),
        required=False,
        coerce=int,
        empty_value=PAGE_SIZE,  # type: ignore[arg-type]  # any value will do; the stub says str
        choices=[(n, str(n)) for n in PAGE_SIZES],
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["respondent"]).queryset = selectors.respondent_choices(
            user=user
        )
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = selectors.region_choices(user=user)
        cast(forms.ModelChoiceField, self.fields["mediator"]).queryset = selectors.mediator_choices(user=user)
        self.fields["status"].widget.choices = self._status_choices()

    def _status_choices(self) -> list:
        grouped: list[Any] = [("", _("All statuses"))]
        raw = (self.data.get("status") or "") if self.is_bound else ""
        if "," in raw and all(v.strip() in Status.values for v in raw.split(",") if v.strip()):
            # A group from a home-page link: shown as one option so that the bar reflects it.
            grouped.append(
                (raw, "、".join(str(Status(v.strip()).label) for v in raw.split(",") if v.strip()))
            )
        for stage, stage_label in Stage.choices:
            grouped.append(
                (stage_label, [(s, label) for s, label in Status.choices if STATUS_STAGE[Status(s)] == stage])
            )
        return grouped

    def clean(self):
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns; the stub allows None
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date cannot be earlier than the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The values that validated (call after ``is_valid()``); fields in error are left out."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


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
    form = DisputeFilterForm(request.GET, user=request.user)
    form.is_valid()
    filters = form.filters()
    queryset = selectors.dispute_list(user=request.user, filters=filters)
    page = Paginator(queryset, filters.get("per_page") or PAGE_SIZE).get_page(request.GET.get("page"))
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
    (gettext_lazy("Respondent"), 28),
    (gettext_lazy("Disputed act"), 40),
    (gettext_lazy("Type of dispute"), 18),
    (gettext_lazy("Received on"), 12),
    (gettext_lazy("Current stage"), 12),
    (gettext_lazy("Current status"), 16),
)


def _export_row(dispute) -> list[Any]:
    return [
        dispute.number,
        dispute.get_source_display(),
        dispute.get_kind_display(),
        "、".join(p.name for p in dispute.applicants),
        dispute.respondent.name,
        dispute.act_summary,
        dispute.get_matter_display(),
        dispute.received_on,
        str(dispute.get_stage_display()),
        dispute.get_status_display(),
    ]


@require_GET
@capability_required(Capability.VIEW_CASES)
def dispute_export(request: AuthenticatedHttpRequest) -> FileResponse | HttpResponseRedirect:
    """The filtered list as an .xlsx ledger, every row (up to ``EXPORT_LIMIT``).

    An .xlsx file is a zip whose index comes last, so it cannot be sent while rows are still being
    read; openpyxl's write-only mode writes it to a temporary file with flat memory use, and the
    response then streams that file.
    """
    list_url = reverse("disputes:list") + _query(request)
    form = DisputeFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Some filters are not valid. Correct them before exporting."))
        return redirect(list_url)
    queryset = selectors.dispute_list(user=request.user, filters=form.filters())
    total = queryset.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "%(total)s cases match these filters; an export holds at most %(limit)s. "
                "Narrow the filters (for example by date received) and export again."
            )
            % {"total": f"{total:,}", "limit": f"{EXPORT_LIMIT:,}"},
        )
        return redirect(list_url)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Dispute cases")[:31])
    sheet.freeze_panes = "A2"
    for index, (_header, width) in enumerate(EXPORT_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    header = []
    for title, _width in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_column = 7
    for dispute in queryset.iterator(chunk_size=1000):
        row = _export_row(dispute)
        cell = WriteOnlyCell(sheet, value=row[date_column])
        cell.number_format = "yyyy-mm-dd"
        row[date_column] = cell
        sheet.append(row)

    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when the response is sent
    workbook.save(output)
    output.seek(0)

    today = selectors.today_in_china()
    filename = f"{_('Administrative disputes')}_{today:%Y%m%d}.xlsx"
    response = FileResponse(output, content_type=XLSX_TYPE)
    # RFC 6266/5987: an ASCII fallback for old clients, the Chinese name for everyone else.
    response["Content-Disposition"] = (
        f"attachment; filename=\"disputes_{today:%Y%m%d}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
