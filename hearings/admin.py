"""Hearings are read-only here, like every case record: they are scheduled from the case page, where the
case moves with them (``services.hearing_schedule``)."""

from django.contrib import admin

from core.admin import ScopedReadOnlyAdmin

from .models import Hearing


@admin.register(Hearing)
class HearingAdmin(ScopedReadOnlyAdmin):
    reached_through = "dispute"
    list_display = ["dispute", "scheduled_at", "place", "status", "notice_served_on"]
    list_filter = ["status"]
    search_fields = ["dispute__number", "place"]
    list_select_related = ["dispute"]
