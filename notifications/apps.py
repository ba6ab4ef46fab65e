from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling people: an inbox in Huajie, e-mail through Django's backend and text messages through a
    pluggable gateway (``notifications.sms``). Low in the layering: it knows no case, no deadline; the
    apps above say whom to tell what (``services.notify``), and where the action is done (a URL)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.home import register_panel

        from .panels import unread_panel
        from .services import on_deliveries_made
        from .tasks import queue_sending

        on_deliveries_made(queue_sending)
        register_panel(unread_panel)
