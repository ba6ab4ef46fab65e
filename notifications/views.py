"""The inbox: a person's notifications, newest first; opening one marks it read and goes to where its
action is done; the channels besides the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import PreferenceForm

PAGE_SIZE = 25


@login_required
@require_GET
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread = request.GET.get("show") == "unread"
    paginator = Paginator(selectors.inbox(user=request.user, unread=unread), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread},
    )


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (another person's: 404)."""
    notification = get_object_or_404(selectors.inbox(user=request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark the ticked notifications read, or all of them (``all``)."""
    if request.POST.get("all"):
        count = services.notifications_mark_read(user=request.user)
    else:
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        count = services.notifications_mark_read(user=request.user, ids=ids)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preference_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = selectors.preference_of(user=request.user)
    form = PreferenceForm(
        request.POST or None, user=request.user, initial={"email": current.email, "sms": current.sms}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            user=request.user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
        )
        messages.success(request, _("Your notification channels were saved."))
        return redirect("notifications:inbox")
    return render(request, "notifications/preferences.html", {"form": form})
