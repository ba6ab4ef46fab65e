from django.contrib import admin

from .models import CentrePolicy, Visit


@admin.register(CentrePolicy)
class CentrePolicyAdmin(admin.ModelAdmin):
    list_display = ["centre", "visit_days", "after_agreements", "after_court_outcomes"]


admin.site.register(Visit)
