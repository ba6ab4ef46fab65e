from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Numbered official documents rendered to PDF. Below ``disputes`` in the layering: it knows no
    case; the app that owns a subject registers how to reach it (``documents.subjects``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The task registers itself as the services' render queue (the services never import it).
        from . import tasks  # noqa: F401
