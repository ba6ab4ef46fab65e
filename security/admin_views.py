"""The audit administrator's log and the security administrator's desk (三权分立: neither is the system
administrator, and neither sees a case)."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Min, QuerySet, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import workdays
from core.decorators import capability_required
from core.http import attachment
from core.paginator import CappedPaginator
from core.roles import Capability
from core.xlsx import XLSX_TYPE, write_ledger

from . import audit
from .forms import AuditFilterForm, UnlockForm
from .models import AuditAction, AuditEntry
from .selectors import audit_search

if TYPE_CHECKING:
    from core.http import AuthenticatedHttpRequest

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_search(filters)


@capability_required(Capability.VIEW_AUDIT)
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    number = request.GET.get("page")
    page = CappedPaginator(entries, PAGE_SIZE, page=number, cap=10_000).get_page(number)
    return render(
        request,
        "security/audit_log.html",
        {
            "form": form,
            "page": page,
            "retention_days": settings.AUDIT_RETENTION_DAYS,
            "nav_current": "audit-log",
        },
    )


EXPORT_COLUMNS = (
    (gettext_lazy("Time"), 20),
    (gettext_lazy("User name"), 16),
    (gettext_lazy("Action"), 16),
    (gettext_lazy("Result"), 8),
    (gettext_lazy("IP address"), 16),
    (gettext_lazy("Method"), 8),
    (gettext_lazy("Address"), 40),
    (gettext_lazy("Object type"), 20),
    (gettext_lazy("Object id"), 10),
    (gettext_lazy("Object"), 30),
    (gettext_lazy("Detail"), 40),
)


@capability_required(Capability.VIEW_AUDIT)
def audit_export(request: AuthenticatedHttpRequest) -> FileResponse:
    form, entries = _filtered(request)
    actions, results = dict(AuditAction.choices), dict(AuditEntry._meta.get_field("result").flatchoices)
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.username,
            str(actions.get(e.action, e.action)),
            str(results.get(e.result, e.result)),
            e.ip or "",
            e.method,
            e.path,
            e.object_type,
            e.object_id,
            e.object_label,
            str(e.detail) if e.detail else "",
        ]
        for e in entries[:EXPORT_LIMIT].iterator(chunk_size=2_000)
    )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_ledger(output, sheet=_("Audit log"), columns=[(str(t), w) for t, w in EXPORT_COLUMNS], rows=rows)
    output.seek(0)
    today = workdays.today()
    response = FileResponse(output, content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(
        f"{_('Audit log')}_{today:%Y%m%d}.xlsx", f"audit_{today:%Y%m%d}.xlsx"
    )
    return response


@capability_required(Capability.MANAGE_SECURITY)
@require_http_methods(["GET", "POST"])
def security_desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Locked accounts (unlock one), and a user's second factor (reset it when the phone is lost)."""
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if request.POST.get("form") == "unlock":
            axes_reset(username=username)
            audit.record(AuditAction.UNLOCKED, request=request, object_type="core.user", label=username)
            messages.success(request, _("%(name)s is unlocked.") % {"name": username})
        elif request.POST.get("form") == "otp_reset":
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                messages.error(request, _("There is no account named %(name)s.") % {"name": username})
            else:
                TOTPDevice.objects.filter(user=user).delete()
                audit.record(AuditAction.OTP_CHANGED, request=request, obj=user, detail={"otp": "reset"})
                messages.success(
                    request,
                    _("The second factor of %(name)s is reset: they set it up again.") % {"name": username},
                )
        return redirect("security-desk")
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(
            failures=Sum("failures_since_start"), first=Min("attempt_time"), addresses=Count("ip_address")
        )
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username")
    )
    return render(
        request,
        "security/desk.html",
        {"locked": list(locked), "form": form, "nav_current": "security-desk"},
    )
