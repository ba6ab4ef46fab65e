from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..filters import NotificationFilter
from ..models import Notification
from .serializers import MarkedSerializer, MarkReadSerializer, NotificationSerializer

if TYPE_CHECKING:
    from core.http import AuthenticatedRequest


class NotificationListApi(generics.ListAPIView[Notification]):
    """The user's own notifications, newest first; each links (``url``) to where its action is done."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.inbox(user=self.request.user)


class NotificationReadApi(APIView):
    """Mark notifications read: the ``ids`` given (another person's are ignored), or all unread ones."""

    parser_classes = [JSONParser]

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("ids")
        marked = services.notifications_mark_read(user=request.user, ids=ids)
        return Response({"marked": marked, "unread": selectors.unread_count(user=request.user)})
