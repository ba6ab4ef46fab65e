"""Rules are edited here by a centre; deadlines are read-only (only the services move them), each with
its history. The deadline list is scoped like every list of records (``core.access``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.access import scoped

from .models import Deadline, DeadlineChange, DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label_zh",
        "label_en",
        "length",
        "unit",
        "rolls_over",
        "responsible_party",
        "law",
        "article",
        "is_active",
    ]
    list_filter = ["unit", "responsible_party", "is_active"]
    search_fields = ["code", "label_zh", "label_en", "law"]
    list_editable = ["is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: DeadlineRule | None = None) -> list[str]:
        # The code is what the apps plan by: fixed once the rule exists.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: DeadlineRule | None = None) -> bool:
        return False  # switch a rule off instead: deadlines keep pointing at it


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    extra = 0
    can_delete = False
    fields = ("at", "reason", "old_due_on", "new_due_on", "old_status", "new_status", "note", "actor")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = [
        "rule",
        "subject_type",
        "subject_id",
        "key",
        "starts_on",
        "due_on",
        "status",
        "met_on",
        "provisional",
        "responsible_organisation",
    ]
    list_filter = ["status", "provisional", "rule"]
    list_select_related = ["rule", "subject_type", "responsible_organisation"]
    date_hierarchy = "due_on"
    inlines = [DeadlineChangeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Deadline._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewable, never editable: the change view shows the fields and the history read-only.
        return False
