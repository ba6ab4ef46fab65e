from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalAidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "legal_aid"
    verbose_name = _("Legal aid")

    def ready(self) -> None:
        # Plugged into the case through disputes' seam (docs/seam.md): disputes never imports legal_aid.
        from core.access import register_people
        from core.home import register_panel
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability
        from disputes.models import Dispute
        from disputes.seam import CasePanel, register_case_panel, register_event_label

        from . import panels, services

        register_case_panel(
            CasePanel(name="legal_aid", template="legal_aid/_case_panel.html", context=panels.case_panel)
        )
        register_panel(panels.lawyer_panel)
        register_panel(panels.staff_panel)
        register_nav(
            NavEntry(
                _("Legal aid"), "legal_aid:list", Capability.MANAGE_LEGAL_AID, order=17, section="legal-aid"
            )
        )

        # The assigned lawyer reaches the case (and, through it, its hearings and documents) while the
        # assignment runs.
        register_people(Dispute, "aid_assignments__active_user")
        for code, label in (
            (services.SCREEN_EVENT, _("Screened for legal aid")),
            (services.APPLY_EVENT, _("Legal aid applied for")),
            (services.DECIDE_EVENT, _("Legal-aid application decided")),
            (services.OBJECT_EVENT, _("Objection to the legal-aid refusal")),
            (services.REVIEW_EVENT, _("Legal-aid objection reviewed")),
            (services.ASSIGN_EVENT, _("Legal-aid lawyer assigned")),
            (services.END_EVENT, _("Legal aid ended")),
        ):
            register_event_label(code, label)
