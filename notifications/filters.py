"""The inbox list's filter (the API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Notification


# django-filter ships no types (FilterSet is Any to mypy).
class NotificationFilter(django_filters.FilterSet):  # type: ignore[misc]
    # A choice, not django-filter's BooleanFilter: that one reads any other word as "no filter", and a
    # value the API does not know must be refused (400), not ignored.
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        help_text=_("Only the unread ones (true) or the read ones (false)."),
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: Any
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value == "true")
