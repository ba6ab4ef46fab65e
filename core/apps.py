from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from .home import register_panel
        from .navigation import NavEntry, register_nav
        from .panels import administration_panel, committee_overview_panel
        from .roles import Capability

        register_nav(NavEntry(_("Home"), "home", order=0, section=""))
        register_nav(
            NavEntry(
                _("Directory"), "organisation-list", Capability.VIEW_DIRECTORY, order=800, section="directory"
            )
        )
        register_nav(NavEntry(_("API"), "api-docs", order=900, section="api"))
        register_nav(
            NavEntry(_("Administration"), "admin:index", order=1000, staff_only=True, section="admin")
        )
        register_panel(administration_panel)
        register_panel(committee_overview_panel)
