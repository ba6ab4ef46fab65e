from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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
    search_fields = ["username", "name", "organisation__name", "phone"]
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
