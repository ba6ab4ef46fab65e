from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from .access import can

_Request = TypeVar("_Request", bound=HttpRequest)
_Params = ParamSpec("_Params")
_Response = TypeVar("_Response", bound=HttpResponseBase)
_View = Callable[Concatenate[_Request, _Params], _Response]


def capability_required(
    capability: str,
) -> Callable[[_View[_Request, _Params, _Response]], _View[_Request, _Params, _Response]]:
    """Signed in and holding ``capability``; otherwise 403 (the page itself is off limits, which
    is not a secret). Which records the page then shows is decided by ``core.access.scoped``."""

    def decorator(view: _View[_Request, _Params, _Response]) -> _View[_Request, _Params, _Response]:
        @login_required
        @wraps(view)
        def wrapped(request: _Request, /, *args: _Params.args, **kwargs: _Params.kwargs) -> _Response:
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
