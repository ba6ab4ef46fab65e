"""Documents in the admin, for reference and support only: a document is drafted, issued and
superseded through the services (numbering, rendering, the SHA-256 of the stored file), so the admin
can neither add, change nor delete one."""

from django.contrib import admin

from core.admin import ScopedReadOnlyAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ScopedReadOnlyAdmin):
    # The admin lists the documents of the issuing bodies the user reaches (their region's, for an
    # administrator); the superuser flag widens nothing.
    reached_through = "issuer"
    list_display = ["number", "version", "doc_type", "status", "issuer", "render_state", "issued_at"]
    list_filter = ["doc_type", "status", "issuer", "render_state"]
    search_fields = ["number"]
    list_select_related = ["issuer"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
