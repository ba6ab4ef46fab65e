"""The filters of the deadline lists (API and pages share them through ``selectors.deadline_list``)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import IdFilter

from .models import Deadline, Problem, Remedy, RemedyStatus, Status


# django-filter ships no types (FilterSet is Any to mypy).
class DeadlineFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text=_("Only deadlines in these states (repeat for several).")
    )
    rule = django_filters.CharFilter(
        field_name="rule__code", help_text=_("Only deadlines of this rule, by its code, e.g. recon_reply.")
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", help_text=_("Last day on or before this date.")
    )
    due_after = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", help_text=_("Last day on or after this date.")
    )
    organisation = IdFilter(
        field_name="responsible_organisation", help_text=_("Only deadlines this organisation answers for.")
    )

    class Meta:
        model = Deadline
        fields = ["status", "rule", "due_before", "due_after", "organisation"]


class RemedyFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The remedy tasks' list (page and API)."""

    status = django_filters.ChoiceFilter(
        choices=RemedyStatus.choices, help_text=_("Only remedy tasks in this state.")
    )
    problem = django_filters.ChoiceFilter(
        choices=Problem.choices, help_text=_("Only misses counted as this problem.")
    )
    organisation = IdFilter(field_name="organisation", help_text=_("Only this body's remedy tasks."))
    missed_after = django_filters.DateFilter(
        field_name="missed_on", lookup_expr="gte", help_text=_("Missed on or after this date.")
    )
    missed_before = django_filters.DateFilter(
        field_name="missed_on", lookup_expr="lte", help_text=_("Missed on or before this date.")
    )

    class Meta:
        model = Remedy
        fields = ["status", "problem", "organisation", "missed_after", "missed_before"]
