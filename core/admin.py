from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .access import scoped
from .models import Heartbeat, Organisation, Region, User, UserRole


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only the services write (case data, issued documents, heartbeats): the admin
    may read them but never add, change or delete one behind the services' back."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # No bulk action writes here either ("delete selected" is refused by the permission above).
        return {}

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # Every field, so that no page of this admin renders an input (simple-history's version page
        # builds its form from this list, not from the permissions).
        fields = [f.name for f in self.model._meta.get_fields() if f.concrete and not f.auto_created]
        return [*self.readonly_fields, *(f for f in fields if f not in self.readonly_fields)]


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):  # type: ignore[misc]  # simple-history has no types
    """A read-only admin that also lists the record's saved versions. simple-history's version page
    is a "revert" form that would save the old version over the record (bypassing the services, the
    state machine and the timeline): here it only shows the version, and anything but GET is 405."""

    object_history_form_template = "admin/history_version.html"

    def revert_disabled(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response: HttpResponse = super().history_form_view(request, object_id, version_id, extra_context)
        return response


class ScopedReadOnlyAdmin(ReadOnlyAdmin):
    """Case records in the admin: read-only, and only those the signed-in user may reach, like
    everywhere else (the superuser flag opens the admin site, it grants no reach). A model without a
    ScopeRule of its own names the relation through which it is reached in ``reached_through``."""

    reached_through: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if not self.reached_through:
            return scoped(queryset, request.user)
        related = self.model._meta.get_field(self.reached_through).related_model
        assert isinstance(related, type) and issubclass(related, Model)
        return queryset.filter(
            **{f"{self.reached_through}__in": scoped(related._default_manager.all(), request.user)}
        )


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region__level"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1
    fields = ["role", "granted_at"]
    readonly_fields = ["granted_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "organisation", "title", "roles_display", "is_active"]
    list_filter = ["is_active", "is_staff", "roles__role", "organisation__kind"]
    search_fields = ["username", "name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [UserRoleInline]
    list_select_related = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "organisation", "title", "phone", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "name", "organisation", "password1", "password2")},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("roles"))
    def roles_display(self, obj: User) -> str:
        return "、".join(r.get_role_display() for r in obj.roles.all())


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["name", "seen_at"]


from . import admin_calendar  # noqa: E402,F401 - registers CalendarDay
