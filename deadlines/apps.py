from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    """Statutory time limits as stored clocks. Below ``disputes`` in the layering: it knows no case; the
    app that owns a subject registers it (``deadlines.subjects``) and plans clocks through
    ``deadlines.services``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from core.home import register_panel
        from core.navigation import NavEntry, register_nav
        from core.roles import Capability
        from core.workdays import on_calendar_edit
        from notifications.services import on_delivery_failed

        from .panels import calendar_warning_panel, my_deadlines_panel, remedies_panel
        from .reminders import reminder_undelivered
        from .tasks import queue_recompute

        # A reminder that could not be delivered outside Huajie becomes the centre's work.
        on_delivery_failed(reminder_undelivered)
        # core calls this after a transaction that wrote calendar rows commits, once per transaction.
        on_calendar_edit(queue_recompute)
        register_panel(calendar_warning_panel)
        register_panel(my_deadlines_panel)
        register_panel(remedies_panel)
        register_nav(
            NavEntry(_("Deadlines"), "deadlines:month", Capability.VIEW_CASES, order=15, section="deadlines")
        )
