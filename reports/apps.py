from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability

        register_nav(
            NavEntry(_("Reports"), "reports:dashboard", Capability.VIEW_REPORTS, order=30, section="reports")
        )
