"""Signing in and out on the API: a token for a user name and password, ended on request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.serializers import RefusalOutputSerializer
from core.roles import Capability

from .. import audit, otp, passwords, sessions
from ..forms import AuditFilterForm
from ..models import AlreadyEnded, ApiToken, AuditAction, AuditEntry, AuditResult
from ..selectors import audit_search, sign_ins_of
from ..tokens import own_token_revoke, token_issue, tokens_revoke
from .serializers import (
    AuditEntrySerializer,
    LogoutSerializer,
    SignInsSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)

if TYPE_CHECKING:
    from core.http import AuthenticatedRequest


class TokenApi(APIView):
    """A token for the API, in exchange for a user name and password (and the second factor, for a user
    who has one). Five failures lock the account for 15 minutes, as on the sign-in page."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "sign_in"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong user name, password or code."),
            403: OpenApiResponse(
                RefusalOutputSerializer,
                description="A new password or a second factor is due: on the website.",
            ),
            429: OpenApiResponse(RefusalOutputSerializer, description="Locked out, or too many requests."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if getattr(django_request, "axes_locked_out", False):
            return Response(status=status.HTTP_429_TOO_MANY_REQUESTS)  # AxesMiddleware answers
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Wrong user name or password.")]}, code="authorization"
            )
        if otp.has_device(user) and not otp.verify(user, data.get("otp", "")):
            audit.record(
                AuditAction.SIGN_IN_FAILED,
                request=django_request,
                user=user,
                result=AuditResult.FAILURE,
                detail={"reason": "otp", "channel": "api"},
            )
            raise exceptions.ValidationError({"otp": [_("Wrong or missing verification code.")]})
        held = sessions.step_required(user, weak_password=not passwords.meets_policy(data["password"], user))
        if held:
            audit.record(
                AuditAction.SIGN_IN_FAILED,
                request=django_request,
                user=user,
                result=AuditResult.REFUSED,
                detail={"reason": held, "channel": "api"},
            )
            raise exceptions.PermissionDenied(
                _("Sign in on the website first: your password must be changed.")
                if held == "password"
                else _("Sign in on the website first: your role requires a second factor.")
            )
        audit.record(AuditAction.SIGN_IN, request=django_request, user=user, detail={"channel": "api"})
        token, key = token_issue(user=user, ip=audit.client_ip(django_request))
        return Response(TokenSerializer({"token": key, "expires_at": token.expires_at}).data)


class LogoutApi(APIView):
    """End the token this request is signed with; signed in with a session, end all the user's tokens."""

    @extend_schema(
        request=None,
        responses={200: LogoutSerializer, 401: OpenApiResponse(RefusalOutputSerializer)},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        current = request.auth if isinstance(request.auth, ApiToken) else None
        count = tokens_revoke(user_id=request.user.pk, reason="logout", only=current)
        audit.record(
            AuditAction.SIGN_OUT, request=request._request, user=request.user, detail={"channel": "api"}
        )
        return Response(LogoutSerializer({"revoked": count}).data)


AUDIT_FILTERS = ["since", "until", "user", "action", "result", "ip", "object_type", "object_id"]


class AuditEntriesApi(GenericAPIView[AuditEntry]):
    """The audit log, newest first, for the audit administrator only (as the 审计日志 page)."""

    queryset = AuditEntry.objects.none()
    serializer_class = AuditEntrySerializer

    @extend_schema(
        tags=["security"],
        operation_id="audit_entries",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (YYYY-MM-DD)."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="To this day, inclusive."),
            OpenApiParameter("user", str, description="An account name (any case or width)."),
            OpenApiParameter("action", str, enum=AuditAction.values),
            OpenApiParameter("result", str, enum=AuditResult.values),
            OpenApiParameter("ip", str, description="An IP address."),
            OpenApiParameter("object_type", str, description="E.g. disputes.party."),
            OpenApiParameter("object_id", str),
        ],
        responses={
            200: AuditEntrySerializer(many=True),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad filter: `{field: [messages]}`."),
            403: OpenApiResponse(RefusalOutputSerializer, description="Not the audit administrator."),
        },
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        if not request.user.can(Capability.VIEW_AUDIT):
            raise exceptions.PermissionDenied
        unknown = set(request.query_params) - {*AUDIT_FILTERS, "page"}
        form = AuditFilterForm(request.query_params)
        if unknown or not form.is_valid():
            errors = {name: [_("Unknown parameter.")] for name in sorted(unknown)}
            raise exceptions.ValidationError(
                {**errors, **{k: [str(m) for m in v] for k, v in form.errors.items()}}
            )
        page = self.paginate_queryset(audit_search(form.cleaned_data))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)


class SignInsApi(APIView):
    """Where the user is signed in (browser sessions) and their live API tokens, as on 登录与安全."""

    @extend_schema(tags=["security"], operation_id="auth_sign_ins", responses={200: SignInsSerializer})
    def get(self, request: AuthenticatedRequest) -> Response:
        rows, tokens = sign_ins_of(request.user)
        current = request.session.get(sessions.SID)
        return Response(
            SignInsSerializer({"sessions": rows, "tokens": tokens}, context={"current": current}).data
        )


class SessionEndApi(APIView):
    """End one of the user's other browser sessions."""

    @extend_schema(
        tags=["security"],
        operation_id="auth_session_end",
        request=None,
        responses={
            204: None,
            404: OpenApiResponse(RefusalOutputSerializer),
            409: OpenApiResponse(RefusalOutputSerializer),
        },
    )
    def post(self, request: AuthenticatedRequest, sid: str) -> Response:
        try:
            sessions.own_session_end(
                user=request.user, sid=sid, current_sid=request.session.get(sessions.SID)
            )
        except AlreadyEnded as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeApi(APIView):
    """Revoke one of the user's API tokens."""

    @extend_schema(
        tags=["security"],
        operation_id="auth_token_revoke",
        request=None,
        responses={204: None, 404: OpenApiResponse(RefusalOutputSerializer)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        try:
            own_token_revoke(user=request.user, pk=pk)
        except AlreadyEnded as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)
