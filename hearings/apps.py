from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hearings"
    verbose_name = _("Hearings")

    def ready(self) -> None:
        # Plugged into the case through disputes' seam (docs/seam.md): disputes never imports hearings.
        from core.home import register_panel
        from disputes.seam import (
            CaseAction,
            CasePanel,
            register_case_action,
            register_case_panel,
            register_event_label,
            register_transition_handler,
        )

        from . import panels, services

        register_case_action(
            CaseAction(
                app=services.APP,
                code="schedule",
                label=_("Schedule hearing"),
                url_name="hearings:schedule",
                api_url_name="api-hearing-schedule",
                # The state machine (disputes) decides when and for whom: the transition's sources,
                # conditions and permission. Nobody but this app can now run that transition.
                performs=services.SCHEDULE,
            )
        )
        from core.roles import Capability

        register_case_action(
            CaseAction(
                app=services.APP,
                code="court_session",
                label=_("Record court session notice"),
                url_name="hearings:court_session",
                api_url_name="api-hearing-court-session",
                statuses=frozenset(services.COURT_STATUSES),
                capabilities=(Capability.RECORD_LITIGATION, Capability.AGENCY_FEEDBACK),
            )
        )
        register_case_action(
            CaseAction(
                app=services.APP,
                code="resolution_meeting",
                label=_("Schedule resolution meeting"),
                url_name="hearings:resolution_meeting",
                api_url_name="api-hearing-meeting",
                statuses=frozenset(services.MEETING_STATUSES),
                capabilities=(Capability.MANAGE_CASES, Capability.MEDIATE),
            )
        )
        register_transition_handler(services.hearing_close_on_transition, actions=services.CLOSING_ACTIONS)
        register_case_panel(
            CasePanel(name="hearings", template="hearings/_case_panel.html", context=panels.case_panel)
        )
        register_event_label(services.ANSWER_EVENT, _("Head's attendance answered"))
        register_event_label(services.ATTENDANCE_EVENT, _("Hearing attendance recorded"))
        register_event_label(services.MUST_ATTEND_EVENT, _("Marked as a hearing the head must attend"))
        register_event_label(services.REVIEW_EVENT, _("Centre's decision on the head's absence"))
        register_event_label(services.COURT_SESSION_EVENT, _("Court session noticed"))
        register_event_label(services.MEETING_EVENT, _("Resolution meeting scheduled"))
        register_event_label(services.CANCEL_EVENT, _("Hearing called off"))
        register_panel(panels.head_requests_panel)
        from core.navigation import NavEntry, register_nav

        register_nav(
            NavEntry(_("Hearings"), "hearings:calendar", Capability.VIEW_CASES, order=16, section="hearings")
        )
        from deadlines.calendar import register_events

        from .selectors import calendar_events

        register_events(calendar_events)
