"""Documents in the admin, for reference and support only: a document is drafted, issued and
superseded through the services (numbering, rendering, the SHA-256 of the stored file), so the admin
can neither add, change nor delete one."""

from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "version", "doc_type", "status", "issuer", "render_state", "issued_at"]
    list_filter = ["doc_type", "status", "issuer", "render_state"]
    search_fields = ["number"]
    list_select_related = ["issuer"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
