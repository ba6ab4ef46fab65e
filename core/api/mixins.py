from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from core.access import scoped

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _Base = GenericAPIView[Any]  # what the mixin is mixed into
else:
    _Base = object


class ScopedQuerysetMixin(_Base):
    """Lists and detail lookups see only what ``core.access`` allows: others' records are 404."""

    def get_queryset(self) -> QuerySet[Any]:
        return scoped(super().get_queryset(), self.request.user)
