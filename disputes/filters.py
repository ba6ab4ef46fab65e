"""The case list's filters, declared once: the list page's filter bar, the API's query parameters
(and their OpenAPI description) and the spreadsheet export all read them from ``DisputeFilterSet``.

The set checks the input and names each bad value in Chinese; ``disputes.selectors.dispute_filter``
applies the values that validated. How a bad value is answered is the caller's choice: the page
shows it beside its field and filters by the others, the export goes back to the page, the API
answers 400 (``core.api.filters.FilterBackend``).
"""

from __future__ import annotations

from typing import Any

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import Organisation, Region, User
from core.widgets import DateInput, QuickSelect

from . import selectors
from .choices import STATUS_STAGE, CaseKind, Source, Stage, Status
from .models import Dispute

# --- fields the filter bar needs beyond Django's ----------------------------------------------------


class StatusListWidget(QuickSelect):
    """One ``<select>`` on the page; in a query string the parameter may also be repeated (the API's
    form), so every value sent is kept, joined by commas."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
            return ",".join(values) if values else None
        return data.get(name)


class StatusListField(forms.Field):
    """One status, or several separated by commas (the home page links to groups such as
    "accepted,mediating"), or the parameter repeated: a single query parameter on the page, so
    paging and the export link keep it."""

    widget = StatusListWidget
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


class OverdueField(django_filters.fields.ChoiceField):
    """``yes``/``no`` from the page's links; ``true``/``false`` as a JSON-minded client writes it."""

    ALIASES = {"true": "yes", "false": "no"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(value.lower(), value) if isinstance(value, str) else value


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return "\u3000" * max(obj.level - Region.Level.COUNTY, 0) + obj.name


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": Status.values}})
class StatusFilter(django_filters.Filter):
    field_class = StatusListField


@extend_schema_field({"type": "string", "enum": ["yes", "no", "true", "false"]})
class OverdueFilter(django_filters.ChoiceFilter):
    field_class = OverdueField


@extend_schema_field(OpenApiTypes.INT)
class ReferenceFilter(django_filters.ModelChoiceFilter):
    """An id of a record the user may reach; one out of reach is refused like one that does not exist."""


@extend_schema_field(OpenApiTypes.INT)
class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class DisputeFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns; the stub allows None
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date cannot be earlier than the start date."))
        return data


def _user(request):
    return getattr(request, "user", None)


def _respondents(request) -> QuerySet:
    user = _user(request)
    # Only what an option shows: a province's filter bar lists hundreds of agencies and a thousand people.
    return selectors.respondent_choices(user=user).only("pk", "name") if user else Organisation.objects.none()


def _regions(request) -> QuerySet:
    user = _user(request)
    return selectors.region_choices(user=user).only("pk", "name", "level") if user else Region.objects.none()


def _mediators(request) -> QuerySet:
    user = _user(request)
    return (
        selectors.mediator_choices(user=user).only("pk", "name", "username") if user else User.objects.none()
    )


# --- the set -----------------------------------------------------------------------------------------


class DisputeFilterSet(django_filters.FilterSet):
    """What a clerk narrows the register by. Every filter is optional; ids name records within the
    user's reach (another agency's id is refused like an unknown one)."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        max_length=100,
        help_text="Names, ID numbers, case or document numbers, words of the act, the claims or the facts.",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Case number, name or words from the facts")}
        ),
    )
    stage = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=gettext_lazy("Stage"),
        choices=[(selectors.OPEN, gettext_lazy("All open cases")), *Stage.choices],
        empty_label=gettext_lazy("All stages"),
        help_text="A stage, or `open` for every case not closed.",
    )
    status = StatusFilter(
        label=gettext_lazy("Status"),
        help_text="One status; repeat the parameter (or separate by commas) for several.",
    )
    source = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=gettext_lazy("Source"),
        choices=Source.choices,
        empty_label=gettext_lazy("All sources"),
    )
    kind = django_filters.ChoiceFilter(
        widget=QuickSelect,
        label=gettext_lazy("Case kind"),
        choices=CaseKind.choices,
        empty_label=gettext_lazy("All kinds"),
    )
    respondent = ReferenceFilter(
        widget=QuickSelect,
        label=gettext_lazy("Respondent"),
        queryset=_respondents,
        empty_label=gettext_lazy("All agencies"),
        help_text="Id of the respondent agency.",
    )
    region = RegionFilter(
        widget=QuickSelect,
        label=gettext_lazy("Region"),
        queryset=_regions,
        empty_label=gettext_lazy("All regions"),
        help_text="Id of a region: the region and every region below it.",
    )
    mediator = ReferenceFilter(
        widget=QuickSelect,
        label=gettext_lazy("Mediator"),
        queryset=_mediators,
        empty_label=gettext_lazy("All mediators"),
        help_text="Id of a user assigned as mediator.",
    )
    received_from = django_filters.DateFilter(
        label=gettext_lazy("Received from"), widget=DateInput, help_text="Received on or after (inclusive)."
    )
    received_to = django_filters.DateFilter(
        label=gettext_lazy("Received until"), widget=DateInput, help_text="Received on or before (inclusive)."
    )
    overdue = OverdueFilter(
        widget=QuickSelect,
        label=gettext_lazy("Deadline"),
        choices=[("yes", gettext_lazy("Overdue")), ("no", gettext_lazy("Not overdue"))],
        empty_label=gettext_lazy("Any"),
        help_text="`yes` (or `true`): only cases whose statutory clock has run out; `no` (`false`): the others.",
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Sort order"),
        choices=[(key, key) for key in selectors.SORTS],
        widget=forms.HiddenInput,
        help_text="Newest received first by default; `-` before a key reverses it.",
    )

    class Meta:
        model = Dispute
        fields: list[str] = []
        form = DisputeFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.form.fields["status"].widget.choices = self._status_choices()

    def _status_choices(self) -> list[Any]:
        grouped: list[Any] = [("", _("All statuses"))]
        raw = self.form["status"].value() or "" if self.is_bound else ""
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

    def filter_values(self) -> dict[str, Any]:
        """The values that validated; a field in error is left out (the page filters by the rest)."""
        self.form.is_valid()
        return {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        user = getattr(self.request, "user", None)
        return selectors.dispute_filter(queryset, filters=self.filter_values(), user=user)
