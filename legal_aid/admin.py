from django.contrib import admin

from .models import Application, Assignment, Engagement, Lawyer, Screening


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = ["user", "firm", "capacity", "is_active"]
    list_filter = ["is_active", "firm"]
    filter_horizontal = ["regions"]
    autocomplete_fields = ["user"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["agency", "firm", "lawyer", "note"]


for model in (Screening, Application, Assignment):
    admin.site.register(model)
