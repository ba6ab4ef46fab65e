"""The calendar feed: the page with a person's private address, and the feed itself (no sign-in: the
token in the address is the credential)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.http import AuthenticatedHttpRequest

from .calendar import FEED_LIMIT, feed_for, ics
from .models import CalendarFeed
from .selectors import deadlines_answered_by


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the address; a POST replaces it (the old address stops working)."""
    feed = feed_for(user=request.user, renew=request.method == "POST")
    if request.method == "POST":
        messages.success(request, _("A new address was made; the old one no longer works."))
        return redirect("deadlines:calendar")
    address = request.build_absolute_uri(reverse("deadlines:ical", args=[feed.token]))
    return render(request, "deadlines/calendar_feed.html", {"address": address, "feed": feed})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.select_related("user__organisation").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    deadlines = deadlines_answered_by(user=feed.user)[:FEED_LIMIT]
    body = ics(deadlines, base_url=request.build_absolute_uri("/").rstrip("/"), name=f"化解 · {feed.user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="huajie.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
