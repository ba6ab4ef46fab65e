from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Organisation, Region, User
from core.roles import Capability

from .mixins import ScopedQuerysetMixin

if TYPE_CHECKING:
    from core.http import AuthenticatedRequest

from .permissions import capability
from .serializers import MeSerializer, OrganisationSerializer, RegionSerializer, UserSerializer


class MeApi(APIView):
    """The signed-in user, with roles and capabilities: what a client needs to draw its menus."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MeSerializer(request.user).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    """The region tree (reference data, readable by every signed-in user)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_fields = ["level", "parent", "code"]


class OrganisationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet[Organisation]):
    """Organisations the user may see: an agency sees itself; a county clerk the county's."""

    queryset = Organisation.objects.select_related("region").order_by("region__path", "kind", "name")
    serializer_class = OrganisationSerializer
    permission_classes = [capability(Capability.VIEW_DIRECTORY, lists_only=True)]
    filterset_fields = ["kind", "region", "is_active"]


class UserViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet[User]):
    """Colleagues the user may see, with their roles."""

    queryset = (
        User.objects.filter(is_active=True)
        .prefetch_related("roles")
        .order_by("organisation__name", "username")
    )
    serializer_class = UserSerializer
    permission_classes = [capability(Capability.VIEW_DIRECTORY, lists_only=True)]
    filterset_fields = ["organisation"]
