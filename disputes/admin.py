"""Admin for reference and support. Case data is read-only here: every change to a case goes through
the services (state machine, timeline, history), so the admin cannot bypass them."""

from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin, ScopedReadOnlyAdmin

from .models import Dispute, DisputeEvent, DisputeSeries, Party

# ID and phone numbers masked here too: the system administrator's work does not need them.
_PARTY_FIELDS = ("role", "kind", "name", "masked_id_number", "credit_code", "masked_phone")


class PartyInline(admin.TabularInline):
    model = Party
    fields = _PARTY_FIELDS
    readonly_fields = _PARTY_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyHistoryAdmin, ScopedReadOnlyAdmin):
    list_display = ["number", "status", "source", "respondent", "received_on", "region"]
    list_filter = ["status", "source", "kind", "matter"]
    search_fields = ["number", "parties__name", "act_summary"]
    list_select_related = ["respondent", "region"]
    inlines = [PartyInline]
    date_hierarchy = "received_on"


@admin.register(DisputeEvent)
class DisputeEventAdmin(ScopedReadOnlyAdmin):
    reached_through = "dispute"
    list_display = ["dispute", "action", "from_status", "to_status", "actor", "at"]
    list_filter = ["action"]
    search_fields = ["dispute__number", "reason"]
    list_select_related = ["dispute", "actor"]


@admin.register(DisputeSeries)
class DisputeSeriesAdmin(ScopedReadOnlyAdmin):
    reached_through = "lead"
    list_display = ["name", "centre", "lead", "created_at"]
