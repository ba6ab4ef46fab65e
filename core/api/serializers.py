from typing import Any

from django.db import models
from rest_framework import serializers

from core.models import Organisation, Region, User


class TextField(serializers.CharField):
    """Text a client sends: a JSON string, nothing else. DRF's CharField also takes a number and turns
    it into text (``0`` becomes "0"), which the schema (``type: string``) says is refused."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false, nothing else. DRF's BooleanField also takes 0, 1, "yes", "on" …, which the
    schema (``type: boolean``) says is refused."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class TextInputModelSerializer(serializers.ModelSerializer[Any]):
    """A ModelSerializer for input: its text fields are ``TextField``s."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }


class RegionSerializer(serializers.ModelSerializer[Region]):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "path"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "parent",
            "address",
            "phone",
            "is_active",
        ]


class UserSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()
    organisation_name = serializers.CharField(source="organisation.name", read_only=True, default=None)

    class Meta:
        model = User
        fields = ["id", "username", "name", "title", "organisation", "organisation_name", "roles"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(r.role for r in obj.roles.all())


class MeSerializer(UserSerializer):
    capabilities = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "email", "phone", "capabilities", "is_superuser"]

    def get_capabilities(self, obj: User) -> list[str]:
        return sorted(obj.capabilities)


# --- small shared shapes for every app's API ------------------------------------------------------


class RefusalOutputSerializer(serializers.Serializer[Any]):
    """Why a request was refused (403, 404, 409), in the user's language."""

    detail = serializers.CharField()


class OrganisationRefSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class UserRefSerializer(serializers.ModelSerializer[User]):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name"]
