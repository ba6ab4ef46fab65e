from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics

from ..filters import DeadlineFilter, RemedyFilter
from ..models import Deadline, Remedy
from ..selectors import deadlines_reachable, remedies_reachable
from .serializers import DeadlineSerializer, RemedySerializer


class DeadlineListApi(generics.ListAPIView[Deadline]):
    """The deadlines the user may see (their regions', their organisation's or their own), soonest
    first, with how each last day was counted. A date in a year without a published holiday calendar
    is marked ``provisional``."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter

    def get_queryset(self) -> QuerySet[Deadline]:
        return deadlines_reachable(user=self.request.user)


class DeadlineDetailApi(generics.RetrieveAPIView[Deadline]):
    """One deadline; 404 when it is out of the user's reach."""

    serializer_class = DeadlineSerializer

    def get_queryset(self) -> QuerySet[Deadline]:
        return deadlines_reachable(user=self.request.user)


class RemedyListApi(generics.ListAPIView[Remedy]):
    """The remedy tasks (补救) the user may see: an agency's own, every agency's in the centre's regions;
    open ones first. A task is remedied through its subject (for a case: the ``record_remedy``
    transition), or by the late duty itself."""

    serializer_class = RemedySerializer
    filterset_class = RemedyFilter

    def get_queryset(self) -> QuerySet[Remedy]:
        return remedies_reachable(user=self.request.user)
