"""Signing in (with the second factor), signing out, the password, and the user's own sessions."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.api.exceptions import Conflict

from . import audit, otp, passwords, sessions
from .models import AlreadyEnded, AuditAction, AuditResult
from .selectors import sign_ins_of
from .tokens import own_token_revoke

if TYPE_CHECKING:
    from core.http import AuthenticatedRequest

PENDING = "huajie_otp_pending"  # the user who gave the right password and owes the second factor
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        weak = not passwords.meets_policy(form.cleaned_data["password"], user)
        if otp.has_device(user):
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": timezone.now().timestamp(),
                "next": self.get_success_url(),
                "weak": weak,
            }
            return redirect("otp-verify")
        complete_sign_in(self.request, user, weak=weak)
        return HttpResponseRedirect(self.get_success_url())


def complete_sign_in(
    request: HttpRequest, user: Any, *, weak: bool, device: TOTPDevice | None = None
) -> None:
    login(request, user)
    if device is not None:
        otp_login(request, device)
    sessions.require_steps(request, user, weak_password=weak)


class OtpVerifyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=8)


def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, _("Sign in again: the verification step has expired."))
        return redirect("login")
    user = get_user_model().objects.get(pk=pending["user"])
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = otp.refused_until(otp.device_of(user))
        if wait is None and otp.verify(user, form.cleaned_data["code"]):
            request.session.pop(PENDING)
            user.backend = pending["backend"]
            complete_sign_in(request, user, weak=pending["weak"], device=otp.device_of(user))
            nxt = pending["next"]
            safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
            return redirect(nxt if safe else settings.LOGIN_REDIRECT_URL)
        pending["failures"] = pending.get("failures", 0) + 1
        audit.record(
            AuditAction.SIGN_IN_FAILED,
            request=request,
            user=user,
            result=AuditResult.FAILURE,
            detail={"reason": "otp"},
        )
        if pending["failures"] >= settings.AXES_FAILURE_LIMIT:
            request.session.pop(PENDING)
            messages.error(request, _("Too many wrong codes: sign in again."))
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error("code", _wrong_code_message(wait))
    return render(request, "registration/otp_verify.html", {"form": form})


def _wrong_code_message(wait: datetime | None) -> str:
    if wait is None:
        return _("Wrong verification code.")
    return _("Too many wrong codes: try again after %(time)s.") % {
        "time": timezone.localtime(wait).strftime("%H:%M:%S")
    }


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = self.request.session.get(sessions.MUST) == "password"
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves (signals end the other sessions and the tokens)
        sessions.session_register(self.request, self.request.user)
        self.request.session.pop(sessions.MUST, None)
        sessions.require_steps(self.request, self.request.user, weak_password=False)
        return response


@login_required
def my_sessions(request: AuthenticatedRequest) -> HttpResponse:
    """Where the user is signed in, and their API tokens; each can be ended here."""
    rows, tokens = sign_ins_of(request.user)
    return render(
        request,
        "security/sessions.html",
        {
            "rows": rows,
            "current": request.session.get(sessions.SID),
            "tokens": tokens,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        },
    )


@login_required
@require_POST
def session_end(request: AuthenticatedRequest, sid: str) -> HttpResponse:
    try:
        sessions.own_session_end(user=request.user, sid=sid, current_sid=request.session.get(sessions.SID))
    except (AlreadyEnded, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The session has been ended."))
    return redirect("my-sessions")


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        own_token_revoke(user=request.user, pk=pk)
    except AlreadyEnded as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The token has been revoked."))
    return redirect("my-sessions")


class OtpEnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


@login_required
def otp_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Turn on the second factor: scan the code into an authenticator app, confirm with one code."""
    user = request.user
    confirmed = otp.device_of(user)
    if request.method == "POST" and request.POST.get("form") == "remove" and confirmed is not None:
        if otp.required_for(user):
            messages.error(request, _("Your role requires a second factor: it cannot be turned off."))
        else:
            TOTPDevice.objects.filter(user=user).delete()
            audit.record(AuditAction.OTP_CHANGED, request=request, obj=user, detail={"otp": "removed"})
            messages.success(request, _("The second factor is off."))
        return redirect("otp-setup")
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = OtpEnrolForm(request.POST or None)
    if confirmed is None and request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        wait = otp.refused_until(device)
        if wait is None and code.isdigit() and device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record(AuditAction.OTP_CHANGED, request=request, obj=user, detail={"otp": "added"})
            if request.session.get(sessions.MUST) == "otp":
                request.session.pop(sessions.MUST)
            messages.success(request, _("The second factor is on: from now on, signing in asks for a code."))
            return redirect("otp-setup")
        form.add_error("code", _wrong_code_message(wait))
    qr = ""
    if confirmed is None:
        # A data: URI of a standalone SVG (svg_inline leaves out the xmlns an <img> needs to draw it).
        qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "security/otp_setup.html",
        {
            "device": confirmed,
            "form": form,
            "qr": qr,
            "secret": base64.b32encode(device.bin_key).decode() if confirmed is None else "",
            "required": otp.required_for(user),
            "must": request.session.get(sessions.MUST) == "otp",
        },
    )
