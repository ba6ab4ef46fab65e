from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
    verbose_name = _("Security and audit")

    def ready(self) -> None:
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability

        from . import signals  # noqa: F401  sign-in, sign-out and password changes

        # Their pages are under /accounts/ with the user's own sessions page: each view names its entry
        # (nav_current), so that the sessions page does not light up the audit log.
        register_nav(
            NavEntry(_("Audit log"), "audit-log", Capability.VIEW_AUDIT, order=1100, section="audit-log")
        )
        register_nav(
            NavEntry(
                _("Security desk"),
                "security-desk",
                Capability.MANAGE_SECURITY,
                order=1110,
                section="security-desk",
            )
        )
