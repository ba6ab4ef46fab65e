from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .decorators import capability_required
from .home import panels_for
from .http import AuthenticatedHttpRequest
from .models import Organisation
from .roles import Capability


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


@capability_required(Capability.VIEW_DIRECTORY)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Organisation.Kind.values:
        kind = ""
    search = request.GET.get("q", "").strip()[:64]
    qs = selectors.organisation_list(user=request.user, kind=kind, search=search)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "core/organisation_list.html",
        {"page": page, "kind": kind, "q": search, "kinds": Organisation.Kind.choices},
    )


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # No capability gate: a record outside the user's reach is 404 for every role, never 403.
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    members = selectors.organisation_members(user=request.user, organisation=organisation)
    return render(
        request, "core/organisation_detail.html", {"organisation": organisation, "members": members}
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker health checks: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok"})
