from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from core.access import can


def capability(cap: str, *, lists_only: bool = False) -> type[BasePermission]:
    """A DRF permission class requiring ``cap`` (see core.roles.Capability).

    With ``lists_only`` the check applies to collection endpoints only: a single record the user
    cannot reach is then answered by scoping with 404, the same as for every other role, so that a
    403 never confirms that a record exists.
    """

    class HasCapability(BasePermission):
        def has_permission(self, request: Request, view: APIView) -> bool:
            if not (request.user and request.user.is_authenticated):
                return False
            if lists_only and getattr(view, "detail", False):
                return True
            return can(request.user, cap)

    HasCapability.__name__ = f"Has_{cap}"
    return HasCapability
