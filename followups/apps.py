from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self) -> None:
        # Plugged into the case through disputes' seam (docs/seam.md): disputes never imports followups.
        from core.home import register_panel
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability
        from disputes.seam import (
            CasePanel,
            register_case_panel,
            register_event_label,
            register_transition_handler,
        )

        from . import panels, services

        register_transition_handler(services.visit_plan_on_decision, actions=set(services.PLANNED_AFTER))
        register_event_label(services.VISIT_EVENT, _("Follow-up visit"))
        register_case_panel(
            CasePanel(name="followups", template="followups/_case_panel.html", context=panels.case_panel)
        )
        register_panel(panels.my_visits_panel)
        register_nav(
            NavEntry(
                _("Follow-up visits"),
                "followups:list",
                Capability.MANAGE_CASES,
                order=18,
                section="followups",
            )
        )
