from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "disputes"
    verbose_name = _("Disputes")

    def ready(self) -> None:
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability

        register_nav(
            NavEntry(_("Cases"), "disputes:list", Capability.VIEW_CASES, order=10, section="disputes")
        )
        register_nav(
            NavEntry(
                _("Register a dispute"),
                "disputes:register",
                Capability.REGISTER_DISPUTE,
                order=20,
                section="disputes-new",
            )
        )
        from . import case_deadlines, documents, panels  # noqa: F401 - panels registers the home-page panels

        documents.register()
        # First of the transition handlers: the case's clocks follow its action before the apps above react.
        case_deadlines.register()
