"""The inbox list's filter (the API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Notification


# django-filter ships no types (FilterSet is Any to mypy).
class NotificationFilter(django_filters.FilterSet):  # type: ignore[misc]
    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        help_text=_("Only the unread ones (true) or the read ones (false)."),
    )

    class Meta:
        model = Notification
        fields = ["unread"]
