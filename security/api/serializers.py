from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import ApiToken, AuditEntry, UserSession


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(
        max_length=150, help_text="The account name (case and width do not matter)."
    )
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        help_text="The 6-digit code, for a user with a second factor.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`; shown only this once.")
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "revoked_reason",
            "ip",
        ]
        read_only_fields = fields


class LogoutSerializer(serializers.Serializer[Any]):
    revoked = serializers.IntegerField(help_text="How many tokens were ended.")


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "id", "at", "user", "username", "action", "result", "ip", "method", "path",
            "object_type", "object_id", "object_label", "detail",
        ]  # fmt: skip
        read_only_fields = fields


class UserSessionSerializer(serializers.ModelSerializer[UserSession]):
    current = serializers.SerializerMethodField(help_text="Whether this is the session making the request.")

    class Meta:
        model = UserSession
        fields = ["sid", "signed_in_at", "last_seen_at", "ip", "user_agent", "current"]
        read_only_fields = fields

    def get_current(self, obj: UserSession) -> bool:
        return bool(obj.sid == self.context.get("current"))


class SignInsSerializer(serializers.Serializer[Any]):
    sessions = UserSessionSerializer(many=True)
    tokens = ApiTokenSerializer(many=True)
