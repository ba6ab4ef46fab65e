from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .access import can


def capability_required(capability):
    """Signed in and holding ``capability``; otherwise 403 (the page itself is off limits, which
    is not a secret). Which records the page then shows is decided by ``core.access.scoped``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
